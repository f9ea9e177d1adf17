"""`Idempotency-Key` on POSTs: a retried create replays its first answer instead of creating twice.

A caller (an agency's system behind a flaky link, an officer double-clicking) sends
`Idempotency-Key: <1–255 visible ASCII characters>` with a POST. For the same caller, method,
path and key:

- the same request (body and query) again answers exactly what the first one answered (status,
  body, `Location` / `ETag` / `Content-Location`), plus `Idempotent-Replayed: true`;
- another request answers 422 `idempotency-key-reused`;
- while the first is still running, a second answers 409 `idempotency-key-in-flight` at once
  (with `Retry-After`); it does not wait, so no request holds a connection waiting on another;
- only a 2xx answer is kept: a refused attempt (4xx) or a failure (5xx) leaves the key free for
  a corrected retry;
- keys are kept `idempotency_ttl_hours` (setting `CN_IDEMPOTENCY_TTL_HOURS`, 24 by default),
  then ignored; expired rows are purged by the service's next keyed write (a bounded batch).

Why a dependency plus `save()` and not a middleware or a route class: handlers build their
answer from the objects they just wrote, so only the handler knows the answer before its commit
(its own `session.commit()` with `SessionDep`, or `TransactionDep`'s when it returns). The
stored answer must commit in the same transaction as the write: otherwise a crash between the
two leaves either a row without a key (the retry creates a second one) or a key without its
row. So:

1. the dependency `Idempotency` runs before the handler, in the request's session (the one
   session `SessionDep` and `TransactionDep` both resolve, services/db.py), and takes a
   transaction-level advisory lock on the (caller, method, path, key) scope (`pg_try_…`: busy
   means another request with the key is in flight -> 409). It then looks up a stored answer;
   READ COMMITTED gives that look-up a snapshot taken after the lock, so it sees whatever the
   previous holder committed. A stored answer is replayed (raised as `Replay`, rendered by the
   handler `install_idempotency` registers);
2. the handler does its write, builds its answer, and calls `await idempotency.save(answer)`
   right before `session.commit()` (with `TransactionDep`: right before it returns): the key
   row joins the write's transaction, and the lock ends with it. A handler that forgets
   `save()` fails its commit (a `before_commit` guard) rather than writing without the key;
   a refusal that keeps its audit row commits through `services.db.commit_refusal`.

A middleware or route class could only store the answer after the handler committed, in a
second transaction: exactly the crash window this closes.

The stored body may carry personal data in clear (a created file reveals its national id), so
an app may set `app.state.idempotency_cipher` (anything with `encrypt(str) -> str` and
`decrypt(str) -> str`, e.g. the registry's identifier cipher) to store bodies sealed.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from functools import lru_cache
from typing import Annotated, Any, Protocol, cast
from urllib.parse import parse_qsl

from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import TypeAdapter
from sqlalchemy import CursorResult, event, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from services.auth import CurrentPrincipal, Principal
from services.db import REFUSAL, SessionDep
from services.errors import Conflict, ValidationProblem

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
DEFAULT_TTL_HOURS = 24.0
MAX_KEY_LENGTH = 255
# Visible ASCII (0x21–0x7E): no spaces, no control characters, nothing a proxy could rewrite.
_KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")
# Answer headers that belong to the answer and are replayed with it.
REPLAYED_HEADERS = ("location", "etag", "content-location", "last-modified")
PURGE_BATCH = 100
# Advisory locks have two key spaces (one bigint, or two int4); this class id in the two-int4
# space keeps idempotency locks apart from every bigint lock (audit, feed consumers).
_LOCK_CLASS = 0x1DE7

HEADER_DESCRIPTION = (
    "Makes this POST safe to retry: 1–255 visible ASCII characters, chosen by the caller "
    "(a UUID is a good choice). The same key with the same body, from the same caller on the "
    "same path, replays the first successful answer with `Idempotent-Replayed: true` and "
    "creates nothing; the same key with another body answers 422 `idempotency-key-reused`; "
    "while the first request is still running, 409 `idempotency-key-in-flight`. Refused or "
    "failed attempts are not kept, so a corrected retry may reuse the key. Keys are kept "
    f"{DEFAULT_TTL_HOURS:g} hours by default (setting `CN_IDEMPOTENCY_TTL_HOURS`), then "
    "forgotten."
)

IDEMPOTENCY_DDL = (
    """
CREATE TABLE idempotency_keys (
    caller      varchar(255) NOT NULL,
    method      varchar(10) NOT NULL,
    path        text NOT NULL,
    key         varchar(255) NOT NULL,
    fingerprint char(64) NOT NULL,
    status      smallint NOT NULL CHECK (status BETWEEN 200 AND 299),
    headers     jsonb NOT NULL DEFAULT '{}',
    body        text NOT NULL,
    sealed      boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (caller, method, path, key)
)
""",
    """
CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)
""",
)
IDEMPOTENCY_DROP = ("DROP TABLE IF EXISTS idempotency_keys",)


def replay_responses(status: int = 201) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry documenting `Idempotent-Replayed` on a keyed create."""
    return {
        status: {
            "headers": {
                REPLAYED_HEADER: {
                    "description": "`true` when this is the stored answer to an earlier "
                    f"request with the same `{HEADER}`; absent on a first answer",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            }
        }
    }


class Cipher(Protocol):
    def encrypt(self, value: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


def parse_key(value: str) -> str:
    """The key as given, or 422 naming the header."""
    if not _KEY_PATTERN.fullmatch(value):
        raise ValidationProblem(
            f"{HEADER} phải gồm 1–{MAX_KEY_LENGTH} ký tự ASCII nhìn thấy được / "
            f"{HEADER} must be 1–{MAX_KEY_LENGTH} visible ASCII characters",
            errors=[{"field": HEADER, "message": "1–255 visible ASCII characters"}],
            slug="idempotency-key-invalid",
        )
    return value


def canonical_body(raw: bytes) -> bytes:
    """JSON bodies compare by content (key order and spacing do not matter); others by bytes."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return raw
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(query: str, body: bytes) -> str:
    """What "the same request" means once caller, method and path match: query and body."""
    params = sorted(parse_qsl(query, keep_blank_values=True))
    digest = hashlib.sha256()
    digest.update(json.dumps(params, ensure_ascii=False).encode())
    digest.update(b"\n")
    digest.update(canonical_body(body))
    return digest.hexdigest()


def caller_of(principal: Principal) -> str:
    """Keys are per caller: a client's keys never meet an officer's, nor another client's."""
    if principal.client_id is not None:
        return f"client:{principal.client_id}"
    return f"user:{principal.subject}"


def lock_id(caller: str, method: str, path: str, key: str) -> int:
    """A signed int4 for the advisory lock. Two scopes colliding (about 1 in 4 billion) only
    means one of them, if both are in flight at once, answers a spurious 409."""
    digest = hashlib.sha256("\x1f".join((caller, method, path, key)).encode()).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


class Replay(Exception):
    """Raised by the dependency when a stored answer exists: rendered as that answer."""

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers
        self.body = body


def replay_response(replay: Replay) -> Response:
    return Response(
        content=replay.body,
        status_code=replay.status,
        headers={**replay.headers, REPLAYED_HEADER: "true"},
        media_type="application/json",
    )


def install_idempotency(app: FastAPI) -> None:
    async def on_replay(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Replay)
        return replay_response(exc)

    app.add_exception_handler(Replay, on_replay)


@lru_cache(maxsize=256)
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


class Idempotency:
    """One request's key (or none): `save()` stores the answer in the write's transaction."""

    def __init__(
        self,
        *,
        request: Request,
        response: Response,
        session: AsyncSession,
        key: str | None,
        caller: str,
        fingerprint: str,
    ) -> None:
        self.request = request
        self.response = response
        self.session = session
        self.key = key
        self.caller = caller
        self.fingerprint = fingerprint
        self.saved = False

    @property
    def scope(self) -> dict[str, str]:
        assert self.key is not None
        return {
            "caller": self.caller,
            "method": self.request.method,
            "path": self.request.url.path,
            "key": self.key,
        }

    async def claim(self) -> None:
        """Lock the key for this transaction, then replay or refuse a stored answer."""
        locked = (
            await self.session.execute(
                text("SELECT pg_try_advisory_xact_lock(:cls, :obj)"),
                {"cls": _LOCK_CLASS, "obj": lock_id(**self.scope)},
            )
        ).scalar_one()
        if not locked:
            raise Conflict(
                "Yêu cầu với khóa này đang được xử lý / "
                "A request with this Idempotency-Key is still in progress",
                headers={"Retry-After": "1"},
                slug="idempotency-key-in-flight",
            )
        stored = (
            await self.session.execute(
                text(
                    "SELECT fingerprint, status, headers, body, sealed FROM idempotency_keys "
                    "WHERE caller = :caller AND method = :method AND path = :path AND key = :key "
                    "AND expires_at > now()"
                ),
                self.scope,
            )
        ).one_or_none()
        if stored is None:
            event.listen(self.session.sync_session, "before_commit", self._guard)
            return
        if stored.fingerprint != self.fingerprint:
            raise ValidationProblem(
                "Khóa đã dùng cho một yêu cầu khác / "
                "This Idempotency-Key was used with another request body",
                errors=[{"field": HEADER, "message": "already used with another request"}],
                slug="idempotency-key-reused",
            )
        body: str = stored.body
        if stored.sealed:
            cipher = self._cipher()
            if cipher is None:
                raise RuntimeError("a sealed idempotent answer, but no idempotency_cipher")
            body = cipher.decrypt(body)
        raise Replay(stored.status, dict(stored.headers), body.encode())

    def _guard(self, session: Session) -> None:
        # A refusal committing its audit row (`commit_refusal`) stores nothing under the key.
        if not self.saved and not session.info.get(REFUSAL):
            raise RuntimeError(f"{HEADER} was given but the handler committed without save()")

    def _cipher(self) -> Cipher | None:
        cipher: Cipher | None = getattr(self.request.app.state, "idempotency_cipher", None)
        return cipher

    def _ttl(self) -> timedelta:
        settings = getattr(self.request.app.state, "settings", None)
        hours = getattr(settings, "idempotency_ttl_hours", DEFAULT_TTL_HOURS)
        return timedelta(hours=hours)

    def _render(self, answer: Any) -> tuple[int, bytes]:
        """The status and body bytes FastAPI will send for `answer`, serialised the same way."""
        route = self.request.scope.get("route")
        if not isinstance(route, APIRoute):
            raise RuntimeError(f"{HEADER} is only handled on API routes")
        status = self.response.status_code or route.status_code or 200
        content = answer
        if route.response_model is not None:
            adapter = _adapter(route.response_model)
            content = adapter.dump_python(
                adapter.validate_python(answer, from_attributes=True),
                mode="json",
                by_alias=route.response_model_by_alias,
                exclude_unset=route.response_model_exclude_unset,
                exclude_defaults=route.response_model_exclude_defaults,
                exclude_none=route.response_model_exclude_none,
            )
        return status, bytes(JSONResponse(content).body)

    async def save(self, answer: Any) -> None:
        """Store `answer` (what the handler returns) under the key, in the current transaction.

        Call after the write and after setting answer headers (`Location`, `ETag`), right
        before `session.commit()`, or before returning under `TransactionDep` (whose commit
        then carries the key row). Without a key this does nothing."""
        if self.key is None:
            return
        await self.session.flush()
        status, rendered = self._render(answer)
        if not 200 <= status < 300:
            self.saved = True  # nothing to keep; a failure never pins the key
            return
        headers = {
            name: value
            for name, value in self.response.headers.items()
            if name.lower() in REPLAYED_HEADERS
        }
        body = rendered.decode()
        cipher = self._cipher()
        if cipher is not None:
            body = cipher.encrypt(body)
        await self._purge()
        stored = await self.session.execute(
            text(
                "INSERT INTO idempotency_keys "
                "(caller, method, path, key, fingerprint, status, headers, body, sealed, "
                " expires_at) "
                "VALUES (:caller, :method, :path, :key, :fingerprint, :status, "
                " CAST(:headers AS jsonb), :body, :sealed, now() + :ttl) "
                # An expired row of the same key may not be purged yet: the new answer wins.
                "ON CONFLICT (caller, method, path, key) DO UPDATE SET "
                "fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, "
                "headers = EXCLUDED.headers, body = EXCLUDED.body, sealed = EXCLUDED.sealed, "
                "created_at = now(), expires_at = EXCLUDED.expires_at "
                "WHERE idempotency_keys.expires_at <= now()"
            ),
            {
                **self.scope,
                "fingerprint": self.fingerprint,
                "status": status,
                "headers": json.dumps(headers),
                "body": body,
                "sealed": cipher is not None,
                "ttl": self._ttl(),
            },
        )
        # Nothing written means a live answer appeared after the look-up, which the lock rules
        # out; refusing anyway keeps "one key, one write" even if the lock were lost.
        if cast(CursorResult[Any], stored).rowcount != 1:
            raise Conflict(
                "Yêu cầu với khóa này đã được xử lý / "
                "A request with this Idempotency-Key was already handled",
                headers={"Retry-After": "1"},
                slug="idempotency-key-in-flight",
            )
        self.saved = True

    async def _purge(self) -> None:
        """Forget a bounded batch of expired keys; rows another writer is purging are skipped."""
        await self.session.execute(
            text(
                "DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY("
                "SELECT ctid FROM idempotency_keys WHERE expires_at <= now() "
                "ORDER BY expires_at LIMIT :n FOR UPDATE SKIP LOCKED))"
            ),
            {"n": PURGE_BATCH},
        )


async def idempotency(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias=HEADER,
            description=HEADER_DESCRIPTION,
            json_schema_extra={
                "minLength": 1,
                "maxLength": MAX_KEY_LENGTH,
                "pattern": "^[\\x21-\\x7E]+$",
            },
        ),
    ] = None,
) -> Idempotency:
    """The request's `Idempotency` (declare it after the handler's role dependency, so a
    caller is authorised before anything is looked up)."""
    key = None if idempotency_key is None else parse_key(idempotency_key)
    idem = Idempotency(
        request=request,
        response=response,
        session=session,
        key=key,
        caller=caller_of(principal),
        fingerprint=fingerprint(request.url.query, await request.body()) if key else "",
    )
    if key is not None:
        await idem.claim()
    return idem


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
