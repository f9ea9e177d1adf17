"""No CCCD, phone or search words in any log line, uvicorn's access log included."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from deploy.local.postgres import free_port
from deploy.local.stack import REPO
from services.logging import mask_target, mask_text


def test_identifiers_and_phones_are_masked_in_text() -> None:
    masked = mask_text("id 001090123456, phone 0912345678 or +84912345678; year 2024")
    assert "001090123" not in masked and masked.count("456") == 1
    assert "0912345" not in masked and "912345" not in masked
    assert "year 2024" in masked


def test_a_query_string_is_masked_but_not_the_path() -> None:
    target = "/api/registry/persons/3fa85f64-5717?q=Nguyen+Van+An&unit=11953&x=123"
    assert mask_target(target) == "/api/registry/persons/3fa85f64-5717?q=***&unit=*****&x=123"
    assert mask_target("/healthz") == "/healthz"


def test_uvicorn_access_log_masks_searches_even_when_a_launcher_leaves_it_on() -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "tests.kernel.access_log_app:create_app"),
            *("--factory", "--port", str(port), "--log-level", "info"),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/persons", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        for q in ("001090123456", "0912345678", "5678", "Trần Văn Bí"):
            assert httpx.get(f"{url}/persons", params={"q": q}).status_code == 200
        assert httpx.get(f"{url}/persons", params={"phone": "0912345678"}).status_code == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "GET /persons?q=*** HTTP/1.1" in output  # the access log is on, and masked
    for secret in ("001090123456", "0912345678", "5678", "Tr%E1%BA%A7n", "Trần"):
        assert secret not in output, output
