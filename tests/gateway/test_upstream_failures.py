"""The gateway's answers when a service is slow, and its offline API docs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from deploy.local.stack import Stack
from gateway.app import create_app
from gateway.settings import GatewaySettings


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        time.sleep(2)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def slow_upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_slow_service_gives_504_problem(stack: Stack, slow_upstream: str, tmp_path: Path) -> None:
    settings = GatewaySettings(
        database_url=stack.config.database_url("gateway"),
        data_dir=tmp_path,
        registry_url=slow_upstream,
        upstream_timeout_seconds=0.3,
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/registry/units")
    assert response.status_code == 504
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "registry" in response.json()["detail"]


def test_api_docs_need_no_cdn(gateway_url: str) -> None:
    page = httpx.get(f"{gateway_url}/api/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text and "/docs-assets/swagger-ui-bundle.js" in page.text
    bundle = httpx.get(f"{gateway_url}/docs-assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
