"""Helpers for the hostile-input suite: clients from chosen loopback addresses, raw sockets."""

from __future__ import annotations

import select
import socket
from urllib.parse import urlsplit

import httpx


def client_from(address: str, base_url: str) -> httpx.Client:
    """A client whose connections come from `address` (any 127.x.y.z is this machine): the
    gateway's per-address throttles see a distinct caller without trusting any header."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base_url, transport=transport, timeout=60.0)


def raw_request(base_url: str, head: bytes, body_chunks: list[bytes] | None = None) -> bytes:
    """Send a hand-written request (so nothing normalises or buffers it) and read the answer.
    The server may answer and close before the body is sent: write errors are expected."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        try:
            sock.sendall(head)
            for chunk in body_chunks or []:
                if select.select([sock], [], [], 0)[0]:
                    break  # the answer came before the whole body: stop sending
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received = b""
        try:
            while b"\r\n\r\n" not in received:
                data = sock.recv(65536)
                if not data:
                    break
                received += data
        except ConnectionResetError:
            pass
        return received


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])
