"""Serve the built SPA at `/`, falling back to index.html for client-side routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.exceptions import HTTPException

from services.errors import allowed_methods, problem_response

SPA_HEADERS = {
    # The SPA loads only its own assets and talks only to this origin.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"
    ),
}
NOT_BUILT = (
    "<!doctype html><meta charset=utf-8><title>CaiNghien</title>"
    "<p>Giao diện chưa được build. Chạy <code>make run</code>. / The SPA is not built.</p>"
)
RESERVED_PREFIXES = ("api/", "auth/", ".well-known/", "healthz", "readyz")


def mount_spa(app: FastAPI, spa_dir: Path) -> None:
    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Response:
        if path.startswith(RESERVED_PREFIXES):
            # `GET /auth/login` names a real endpoint with the wrong method: 405, not 404.
            if allowed_methods(request):
                raise HTTPException(405)
            return problem_response(404, instance=request.url.path)
        root = spa_dir.resolve()
        index = root / "index.html"
        if path:
            candidate = (root / path).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                cache = (
                    "public, max-age=31536000, immutable"
                    if path.startswith("assets/")
                    else "no-cache"
                )
                return FileResponse(candidate, headers={**SPA_HEADERS, "Cache-Control": cache})
        if index.is_file():
            return FileResponse(index, headers={**SPA_HEADERS, "Cache-Control": "no-cache"})
        return HTMLResponse(NOT_BUILT, headers=SPA_HEADERS)
