"""The pure parts of `Idempotency-Key`: which keys are accepted and what "the same request" is."""

from __future__ import annotations

import pytest

from services.auth import Principal
from services.errors import ValidationProblem
from services.idempotency import caller_of, canonical_body, fingerprint, lock_id, parse_key


@pytest.mark.parametrize(
    "key",
    ["a", "0f8c7a1e-5b1d-4c3e-9a57-0d3c2b1a9f00", "x" * 255, "!~", '"quoted"'],
)
def test_visible_ascii_keys_up_to_255_are_accepted(key: str) -> None:
    assert parse_key(key) == key


@pytest.mark.parametrize(
    "key", ["", "x" * 256, "two words", "tab\there", "khóa", "line\nbreak", "\x7f"]
)
def test_other_keys_are_422_naming_the_header(key: str) -> None:
    with pytest.raises(ValidationProblem) as refused:
        parse_key(key)
    assert refused.value.slug == "idempotency-key-invalid"
    assert refused.value.errors == [
        {"field": "Idempotency-Key", "message": "1–255 visible ASCII characters"}
    ]


def test_json_bodies_compare_by_content() -> None:
    one = b'{"a": 1, "b": {"c": [1, 2], "d": "\\u0110"}}'
    same = '{"b":{"d":"Đ","c":[1,2]},"a":1}'.encode()
    assert canonical_body(one) == canonical_body(same)
    assert fingerprint("", one) == fingerprint("", same)
    assert fingerprint("", one) != fingerprint("", b'{"a": 2, "b": {"c": [1, 2], "d": "x"}}')
    # Order inside a list is content.
    assert fingerprint("", b"[1, 2]") != fingerprint("", b"[2, 1]")


def test_the_query_is_part_of_the_request() -> None:
    body = b'{"a": 1}'
    assert fingerprint("confirm_new=true", body) != fingerprint("", body)
    assert fingerprint("a=1&b=2", body) == fingerprint("b=2&a=1", body)
    assert fingerprint("a=1", body) != fingerprint("a=2", body)


def test_other_bodies_compare_by_bytes() -> None:
    assert canonical_body(b"not json") == b"not json"
    assert fingerprint("", b"not json") != fingerprint("", b"not json ")
    assert fingerprint("", b"") != fingerprint("", b"{}")


def _principal(subject: str, client_id: str | None = None) -> Principal:
    return Principal(
        subject=subject,
        username=subject,
        roles=frozenset(),
        jurisdiction="",
        jurisdiction_path="",
        client_id=client_id,
    )


def test_callers_are_told_apart() -> None:
    assert caller_of(_principal("u1")) == "user:u1"
    assert caller_of(_principal("u1")) != caller_of(_principal("u2"))
    # A client named like an officer's subject is still another caller.
    assert caller_of(_principal("x", client_id="u1")) == "client:u1"
    assert caller_of(_principal("x", client_id="u1")) != caller_of(_principal("u1"))


def test_lock_ids_are_int4_and_depend_on_every_part() -> None:
    base = ("user:u1", "POST", "/persons", "k")
    ids = {
        lock_id(*base),
        lock_id("user:u2", *base[1:]),
        lock_id(base[0], "PUT", *base[2:]),
        lock_id(*base[:2], "/facilities", base[3]),
        lock_id(*base[:3], "k2"),
    }
    assert len(ids) == 5
    assert all(-(2**31) <= i < 2**31 for i in ids)
    assert lock_id(*base) == lock_id(*base)
