"""A bare app with the kernel's logging, for the access-log test (uvicorn logs every hit)."""

from fastapi import FastAPI

from services.logging import configure_logging


def create_app() -> FastAPI:
    configure_logging(json=True)
    app = FastAPI()

    @app.get("/persons")
    async def persons() -> dict[str, str]:
        return {}

    return app
