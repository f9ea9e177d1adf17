"""Service-to-service HTTP: a client-credentials token from the gateway, timeouts, and
retries only for idempotent calls (GET, or a write carrying an Idempotency-Key)."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Protocol

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from services.contracts.events import FeedPage

RETRYABLE_STATUS = frozenset({502, 503, 504})


class UpstreamError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(
            f"{response.request.method} {response.request.url} -> {response.status_code}"
        )
        self.response = response


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, UpstreamError) and exc.response.status_code in RETRYABLE_STATUS


class TokenSource(Protocol):
    """Where a `ServiceClient` gets its bearer token (a grant, or a token issuer's own)."""

    async def token(self, http: httpx.AsyncClient, *, force: bool = False) -> str: ...


class ClientCredentials:
    """Fetches and caches an access token with the OAuth2 client-credentials grant."""

    def __init__(self, token_url: str, client_id: str, client_secret: str, scope: str = "") -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self.scope = scope
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def token(self, http: httpx.AsyncClient, *, force: bool = False) -> str:
        async with self._lock:
            if force or self._token is None or time.monotonic() > self._expires_at - 30:
                data = {
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self._secret,
                }
                if self.scope:
                    data["scope"] = self.scope
                response = await http.post(self.token_url, data=data)
                if response.status_code != 200:
                    raise UpstreamError(response)
                body = response.json()
                self._token = str(body["access_token"])
                self._expires_at = time.monotonic() + float(body.get("expires_in", 300))
            return self._token


class ServiceClient:
    def __init__(
        self,
        base_url: str,
        credentials: TokenSource,
        *,
        timeout: float = 5.0,
        attempts: int = 3,
    ) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self.credentials = credentials
        self.attempts = attempts

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _send(self, method: str, url: str, **kw: Any) -> httpx.Response:
        headers = dict(kw.pop("headers", None) or {})
        for force_new_token in (False, True):
            token = await self.credentials.token(self.http, force=force_new_token)
            headers["Authorization"] = f"Bearer {token}"
            response = await self.http.request(method, url, headers=headers, **kw)
            # A 401 usually means our cached token expired early or keys rotated: retry once.
            if response.status_code != 401:
                break
        if response.status_code >= 500:
            raise UpstreamError(response)
        return response

    async def request(
        self, method: str, url: str, *, idempotency_key: str | None = None, **kw: Any
    ) -> httpx.Response:
        idempotent = method.upper() in {"GET", "HEAD", "PUT", "DELETE"} or idempotency_key
        if idempotency_key:
            kw.setdefault("headers", {})["Idempotency-Key"] = idempotency_key
        if not idempotent:
            return await self._send(method, url, **kw)
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=wait_exponential(multiplier=0.2, max=2.0),
            retry=retry_if_exception(_retryable),
            reraise=True,
        ):
            with attempt:
                return await self._send(method, url, **kw)
        raise AssertionError("unreachable")

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("GET", url, **kw)

    async def post(self, url: str, **kw: Any) -> httpx.Response:
        return await self.request("POST", url, **kw)

    async def feed_page(self, after: str, limit: int) -> FeedPage:
        response = await self.get("/internal/events", params={"after": after, "limit": limit})
        if response.status_code != 200:
            raise UpstreamError(response)
        return FeedPage.model_validate(response.json())


def service_client(
    base_url: str,
    *,
    gateway_url: str,
    client_id: str | None,
    client_secret: str | None,
    timeout: float = 5.0,
) -> ServiceClient:
    """A client for another service, authenticated as this service."""
    if not client_id or not client_secret:
        raise RuntimeError("CN_CLIENT_ID and CN_CLIENT_SECRET are required to call other services")
    credentials = ClientCredentials(
        f"{gateway_url.rstrip('/')}/auth/token", client_id, client_secret
    )
    return ServiceClient(base_url, credentials, timeout=timeout)
