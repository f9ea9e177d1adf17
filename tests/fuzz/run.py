"""`make fuzz`: Schemathesis over the gateway's merged spec, as an officer, with every check.

Starts a demo stack the way the tests do (embedded PostgreSQL, five processes on free
ports), logs in `FUZZ_USER` (default `xa.phohien`, a commune police officer who can write
files), runs the `schemathesis` CLI from `.venv-tools` (kept out of the project's venv: it
registers a pytest plugin) and stops the stack. The exit code is Schemathesis's.

    make fuzz                          # FUZZ_EXAMPLES=10 FUZZ_MAX_TIME=240 by default
    python -m tests.fuzz.run --examples 10 -- --include-path-regex '^/api/registry'
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from tests.support import REPO, login, running_stack

SCHEMATHESIS = REPO / ".venv-tools" / "bin" / "schemathesis"
REPORTS = REPO / ".data" / "fuzz"


def schemathesis_command(
    base_url: str, token: str, examples: int, max_time: int, extra: list[str]
) -> list[str]:
    return [
        str(SCHEMATHESIS),
        "run",
        f"{base_url}/api/openapi.json",
        "--url",
        base_url,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        # Schema-valid but refused is what an opaque cursor, a unit code that must exist or a
        # file outside the caller's jurisdiction is: a 422/404 the spec cannot express.
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-examples",
        str(examples),
        "--max-time",
        str(max_time),
        # Fixed seed: a finding reproduces on the next run.
        "--seed",
        "8",
        # One worker per core is all this machine has; more only queue behind each other.
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--report",
        "junit,ndjson",
        "--report-dir",
        str(REPORTS),
        "--no-color",
        *extra,
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="xa.phohien")
    parser.add_argument("--examples", type=int, default=10, help="max examples per operation")
    parser.add_argument(
        "--max-time", type=int, default=240, help="seconds; fuzzing repeats until spent"
    )
    parser.add_argument("extra", nargs="*", help="more schemathesis arguments, after --")
    args = parser.parse_args()
    if not SCHEMATHESIS.exists():
        print(f"{SCHEMATHESIS} missing: run `make fuzz` (it creates .venv-tools)")
        return 2
    REPORTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with running_stack("fuzz") as stack:
        base_url = stack.config.base_url("gateway")
        with login(base_url, args.user) as api:
            token = str(api.headers["Authorization"]).removeprefix("Bearer ")
        print(f"Stack ready in {time.monotonic() - started:.0f}s at {base_url}; fuzzing…")
        command = schemathesis_command(base_url, token, args.examples, args.max_time, args.extra)
        code = subprocess.run(command, cwd=REPO, check=False).returncode
        logs: Path = stack.log_dir
        print(f"Service logs: {logs}   reports: {REPORTS}")
    return code


if __name__ == "__main__":
    sys.exit(main())
