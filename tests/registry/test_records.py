"""Records on a person's file: determinations, drug tests, household commitments, check-ins."""

from __future__ import annotations

import json
import unicodedata
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from deploy.local.stack import Stack
from services import clock
from tests.support import Api, db_fetch, person_body, problem_fields

TODAY = clock.today()
FUTURE = (TODAY + timedelta(days=3)).isoformat()
# A minimal but real PDF and PNG: what a scanner or a phone would send.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# One valid body per record kind, and the table each lands in.
RECORDS: dict[str, tuple[dict[str, Any], str]] = {
    "determinations": (
        {
            "determined_on": "2025-11-03",
            "clinic": "Trung tâm Y tế Phố Hiến",
            "result": "not_addicted",
            "substance_group": "synthetic",
            "decision_number": "12/QĐ-TTYT",
        },
        "person_determinations",
    ),
    "drug-tests": (
        {"tested_on": "2025-12-01", "result": "positive", "substances": ["methamphetamine"]},
        "person_drug_tests",
    ),
    "commitments": (
        {"signed_on": "2026-01-05", "signer_name": "Nguyễn Thị Hoa", "relationship": "Mẹ"},
        "person_commitments",
    ),
    "checkins": ({"on": "2026-01-10", "kind": "summons", "outcome": "present"}, "person_checkins"),
}
EVENT_TYPES = {
    "determinations": "person.determination_recorded",
    "drug-tests": "person.drug_test_recorded",
    "commitments": "person.commitment_signed",
    "checkins": "person.checkin_recorded",
}


def _person(api: Api, **overrides: Any) -> dict[str, Any]:
    response = api.post("/api/registry/persons", json=person_body(**overrides))
    assert response.status_code == 201, response.text
    return dict(response.json())


def _url(person: dict[str, Any], path: str = "") -> str:
    return f"/api/registry/persons/{person['id']}{path}"


def _rows(stack: Stack, table: str, person: dict[str, Any]) -> int:
    sql = f"SELECT count(*) FROM {table} WHERE person_id = $1"
    return int(db_fetch(stack.config, "registry", sql, uuid.UUID(person["id"]))[0][0])


def _events(stack: Stack, person: dict[str, Any], type_: str | None = None) -> list[Any]:
    rows = db_fetch(
        stack.config,
        "registry",
        "SELECT type, unit, payload FROM events WHERE subject = $1 ORDER BY position",
        person["id"],
    )
    return [
        {"type": r["type"], "unit": r["unit"], "payload": json.loads(r["payload"])}
        for r in rows
        if type_ is None or r["type"] == type_
    ]


def _audit(stack: Stack, person: dict[str, Any]) -> list[str]:
    rows = db_fetch(
        stack.config,
        "registry",
        "SELECT action FROM audit_log WHERE resource = 'person' AND resource_id = $1 ORDER BY id",
        person["id"],
    )
    return [r["action"] for r in rows]


def _upload(
    api: Api, url: str, content: bytes, name: str = "cam-ket.pdf", type_: str = "application/pdf"
) -> Any:
    return api.put(url, files={"file": (name, content, type_)})


def test_determinations_are_listed_newest_first(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    body, _ = RECORDS["determinations"]
    older = commune_officer.post(_url(person, "/determinations"), json=body)
    assert older.status_code == 201, older.text
    newer = commune_officer.post(
        _url(person, "/determinations"),
        json=body | {"determined_on": "2026-01-20", "result": "addicted", "note": "Ghi chú"},
    )
    assert newer.status_code == 201, newer.text
    record = newer.json()
    assert record["person_id"] == person["id"] and record["recorded_by"] == "xa.phohien"
    assert record["clinic"] == "Trung tâm Y tế Phố Hiến" and record["note"] == "Ghi chú"

    listed = commune_officer.get(_url(person, "/determinations"))
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["items"]] == [record["id"], older.json()["id"]]

    events = _events(stack, person, "person.determination_recorded")
    assert events[-1]["unit"] == "11953"
    assert events[-1]["payload"] == {
        "person_id": person["id"],
        "record_id": record["id"],
        "on": "2026-01-20",
        "unit_code": "11953",
        "unit_path": events[-1]["payload"]["unit_path"],
        "result": "addicted",
        "substance_group": "synthetic",
    }
    # Already addicted: the file itself does not change.
    assert commune_officer.get(_url(person)).json()["version"] == 1
    assert _audit(stack, person) == [
        "person.create",
        "determination.create",
        "determination.create",
        "determination.list",
        "person.read",
    ]


def test_an_illegal_user_found_addicted_becomes_addicted_untreated(
    stack: Stack, commune_officer: Api
) -> None:
    person = _person(
        commune_officer, category="illegal_user", management_decision_date="2025-10-01"
    )
    assert person["status"] == "illegal_user_managed"
    body = RECORDS["determinations"][0] | {"result": "addicted", "determined_on": "2026-01-15"}
    assert commune_officer.post(_url(person, "/determinations"), json=body).status_code == 201

    after = commune_officer.get(_url(person))
    assert after.json()["category"] == "addicted"
    assert after.json()["status"] == "addicted_untreated"
    # The management period belongs to illegal users: it ends with the reclassification, so
    # later edits of the file are not refused for it.
    assert after.json()["management_start"] is None
    patched = commune_officer.patch(
        _url(person), json={"occupation": "Thợ xây"}, headers={"If-Match": after.headers["etag"]}
    )
    assert patched.status_code == 200, patched.text
    history = db_fetch(
        stack.config,
        "registry",
        "SELECT status, valid_from, valid_to FROM person_status_history "
        "WHERE person_id = $1 ORDER BY id",
        uuid.UUID(person["id"]),
    )
    # The file was opened today, so the new period cannot start before today.
    assert [(r["status"], r["valid_to"]) for r in history] == [
        ("illegal_user_managed", max(date(2026, 1, 15), history[0]["valid_from"])),
        ("addicted_untreated", None),
    ]
    types = [e["type"] for e in _events(stack, person)]
    assert types[1:4] == [
        "person.determination_recorded",
        "person.status_changed",
        "person.updated",
    ]


def test_not_addicted_leaves_an_illegal_user_as_they_are(commune_officer: Api) -> None:
    person = _person(commune_officer, category="illegal_user")
    body = RECORDS["determinations"][0]
    assert commune_officer.post(_url(person, "/determinations"), json=body).status_code == 201
    after = commune_officer.get(_url(person)).json()
    assert (after["category"], after["status"]) == ("illegal_user", "illegal_user_managed")


def test_drug_tests(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    positive = commune_officer.post(
        _url(person, "/drug-tests"),
        json={
            "tested_on": "2026-01-02",
            "result": "positive",
            "substances": ["heroin", "methamphetamine", "heroin"],
            "method": "urine",
            "note": "Người nhà chứng kiến",
        },
    )
    assert positive.status_code == 201, positive.text
    assert positive.json()["substances"] == ["heroin", "methamphetamine"]
    negative = commune_officer.post(
        _url(person, "/drug-tests"), json={"tested_on": "2026-02-02", "result": "negative"}
    )
    assert negative.status_code == 201, negative.text
    assert negative.json()["substances"] == [] and negative.json()["method"] is None
    items = commune_officer.get(_url(person, "/drug-tests")).json()["items"]
    assert [t["result"] for t in items] == ["negative", "positive"]
    payloads = [e["payload"] for e in _events(stack, person, "person.drug_test_recorded")]
    assert [p["result"] for p in payloads] == ["positive", "negative"]
    assert payloads[0]["substances"] == ["heroin", "methamphetamine"]
    assert all("note" not in p for p in payloads)


def test_checkins_page_newest_first(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    days = ["2026-01-03", "2026-01-10", "2026-01-07"]
    for day in days:
        response = commune_officer.post(
            _url(person, "/checkins"),
            json={"on": day, "kind": "home_visit", "outcome": "absent", "note": "Vắng nhà"},
        )
        assert response.status_code == 201, response.text
    first = commune_officer.get(_url(person, "/checkins"), params={"limit": 2}).json()
    assert [c["on"] for c in first["items"]] == ["2026-01-10", "2026-01-07"]
    rest = commune_officer.get(
        _url(person, "/checkins"), params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [c["on"] for c in rest["items"]] == ["2026-01-03"] and rest["next_cursor"] is None
    bad = commune_officer.get(_url(person, "/checkins"), params={"cursor": "nonsense"})
    assert bad.status_code == 422 and problem_fields(bad) == {"cursor"}
    event = _events(stack, person, "person.checkin_recorded")[0]["payload"]
    assert (event["on"], event["kind"], event["outcome"]) == ("2026-01-03", "home_visit", "absent")
    assert "note" not in event


def test_free_text_is_nfc_and_trimmed(commune_officer: Api) -> None:
    person = _person(commune_officer)
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị Hoa ")
    response = commune_officer.post(
        _url(person, "/commitments"),
        json={
            "signed_on": "2026-01-05",
            "signer_name": decomposed,
            "relationship": "Vợ",
            "note": "  dòng 1\ndòng 2 ",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["signer_name"] == "Nguyễn Thị Hoa"
    assert response.json()["note"] == "dòng 1\ndòng 2"
    # A NUL is no longer stripped silently: it is refused, naming the field.
    refused = commune_officer.post(
        _url(person, "/commitments"),
        json={
            "signed_on": "2026-01-05",
            "signer_name": "Hoa",
            "relationship": "Vợ",
            "note": "dòng\x00",
        },
    )
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"note"}


def test_commitment_with_its_signed_scan(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    created = commune_officer.post(_url(person, "/commitments"), json=RECORDS["commitments"][0])
    assert created.status_code == 201, created.text
    assert created.json()["document"] is None
    document_url = _url(person, f"/commitments/{created.json()['id']}/document")
    assert commune_officer.get(document_url).status_code == 404

    # The client's type and name are not trusted: the bytes say PDF.
    uploaded = _upload(
        commune_officer, document_url, PDF, "../../Cam kết gia đình.exe", "application/x-msdownload"
    )
    assert uploaded.status_code == 200, uploaded.text
    document = uploaded.json()["document"]
    assert document["content_type"] == "application/pdf"
    assert document["size_bytes"] == len(PDF) and document["filename"] == "Cam kết gia đình.pdf"
    download = commune_officer.get(document_url)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Cam%20k%E1%BA%BFt" in download.headers["content-disposition"]

    # A new scan replaces it; the old one stays on the person's file.
    png = _upload(commune_officer, document_url, PNG, "scan.png", "image/png")
    assert png.status_code == 200, png.text
    assert png.json()["document"]["content_type"] == "image/png"
    again = commune_officer.get(document_url)
    assert again.content == PNG and again.headers["content-type"] == "image/png"
    assert _rows(stack, "documents", person) == 2

    listed = commune_officer.get(_url(person, "/commitments")).json()["items"]
    assert listed[0]["document"]["size_bytes"] == len(PNG)
    assert "content" not in listed[0]["document"]
    # Every read of the scan is audited, the one that found nothing too.
    assert _audit(stack, person) == [
        "person.create",
        "commitment.create",
        "commitment.document_read",
        "commitment.document_upload",
        "commitment.document_read",
        "commitment.document_upload",
        "commitment.document_read",
        "commitment.list",
    ]
    assert _events(stack, person, "person.commitment_signed")[0]["payload"] == {
        "person_id": person["id"],
        "record_id": created.json()["id"],
        "on": "2026-01-05",
        "unit_code": "11953",
        "unit_path": _events(stack, person)[0]["payload"]["unit_path"],
    }


def test_a_phone_photo_of_the_commitment_is_accepted(commune_officer: Api) -> None:
    person = _person(commune_officer)
    created = commune_officer.post(_url(person, "/commitments"), json=RECORDS["commitments"][0])
    url = _url(person, f"/commitments/{created.json()['id']}/document")
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
    uploaded = _upload(commune_officer, url, jpeg, "IMG 0001.JPEG", "application/octet-stream")
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["document"]["content_type"] == "image/jpeg"
    assert uploaded.json()["document"]["filename"] == "IMG 0001.jpg"
    assert commune_officer.get(url).content == jpeg


@pytest.mark.parametrize(
    ("content", "name", "type_"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, "scan.pdf", "application/pdf"),
        (b"<!DOCTYPE html><script>alert(1)</script>", "scan.png", "image/png"),
        (b"", "scan.pdf", "application/pdf"),
    ],
    ids=["exe", "html", "empty"],
)
def test_only_pdf_jpeg_png_are_accepted(
    stack: Stack, commune_officer: Api, content: bytes, name: str, type_: str
) -> None:
    person = _person(commune_officer)
    created = commune_officer.post(_url(person, "/commitments"), json=RECORDS["commitments"][0])
    url = _url(person, f"/commitments/{created.json()['id']}/document")
    refused = _upload(commune_officer, url, content, name, type_)
    assert refused.status_code == 422, refused.text
    assert problem_fields(refused) == {"file"}
    assert _rows(stack, "documents", person) == 0


def test_an_upload_is_one_file_in_field_file(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    created = commune_officer.post(_url(person, "/commitments"), json=RECORDS["commitments"][0])
    url = _url(person, f"/commitments/{created.json()['id']}/document")
    wrong_field = commune_officer.put(url, files={"scan": ("a.pdf", PDF, "application/pdf")})
    assert wrong_field.status_code == 422 and problem_fields(wrong_field) == {"file"}
    not_multipart = commune_officer.put(
        url, content=PDF, headers={"content-type": "application/pdf"}
    )
    assert not_multipart.status_code == 422 and problem_fields(not_multipart) == {"file"}
    assert _rows(stack, "documents", person) == 0


def test_an_upload_over_5_mb_is_413(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    created = commune_officer.post(_url(person, "/commitments"), json=RECORDS["commitments"][0])
    url = _url(person, f"/commitments/{created.json()['id']}/document")
    big = b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)
    refused = _upload(commune_officer, url, big)
    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert _rows(stack, "documents", person) == 0
    # Just under the limit passes.
    fits = _upload(commune_officer, url, b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 - 20))
    assert fits.status_code == 200, fits.text


def test_peer_commune_gets_404_and_writes_nothing(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, province_officer: Api
) -> None:
    person = _person(commune_officer)
    commitment = commune_officer.post(
        _url(person, "/commitments"), json=RECORDS["commitments"][0]
    ).json()
    document_url = _url(person, f"/commitments/{commitment['id']}/document")
    assert _upload(commune_officer, document_url, PDF).status_code == 200
    for path, (body, table) in RECORDS.items():
        before = _rows(stack, table, person)
        posted = other_commune_officer.post(_url(person, f"/{path}"), json=body)
        assert posted.status_code == 404, (path, posted.text)
        assert posted.headers["content-type"].startswith("application/problem+json")
        assert other_commune_officer.get(_url(person, f"/{path}")).status_code == 404
        assert _rows(stack, table, person) == before
        # The province sees the communes below it.
        assert province_officer.get(_url(person, f"/{path}")).status_code == 200
    assert _upload(other_commune_officer, document_url, PNG, "x.png", "image/png").status_code == (
        404
    )
    assert other_commune_officer.get(document_url).status_code == 404
    assert _rows(stack, "documents", person) == 1
    assert province_officer.get(document_url).content == PDF
    stranger = {"id": str(uuid.uuid4())}
    assert commune_officer.get(_url(stranger, "/checkins")).status_code == 404
    assert _events(stack, stranger) == []


def test_volunteer_is_403(volunteer: Api, commune_officer: Api) -> None:
    person = _person(commune_officer)
    for path, (body, _) in RECORDS.items():
        assert volunteer.post(_url(person, f"/{path}"), json=body).status_code == 403
        assert volunteer.get(_url(person, f"/{path}")).status_code == 403


OMIT = object()
BAD_INPUTS = [
    ("determinations", {"determined_on": FUTURE}, "determined_on"),
    ("determinations", {"result": "maybe"}, "result"),
    ("determinations", {"substance_group": "alcohol"}, "substance_group"),
    ("determinations", {"clinic": "   "}, "clinic"),
    ("determinations", {"clinic": "x" * 201}, "clinic"),
    ("determinations", {"verdict": "addicted"}, "verdict"),
    ("drug-tests", {"tested_on": FUTURE}, "tested_on"),
    ("drug-tests", {"substances": []}, "substances"),
    ("drug-tests", {"substances": OMIT}, "substances"),
    ("determinations", {"clinic": OMIT}, "clinic"),
    ("drug-tests", {"result": "negative"}, "substances"),
    ("drug-tests", {"substances": ["alcohol"]}, "substances.0"),
    ("drug-tests", {"method": "breath"}, "method"),
    ("commitments", {"signed_on": FUTURE}, "signed_on"),
    ("commitments", {"signer_phone": "call me"}, "signer_phone"),
    ("commitments", {"note": "x" * 2001}, "note"),
    ("commitments", {"document": "x"}, "document"),
    ("checkins", {"on": FUTURE}, "on"),
    ("checkins", {"kind": "letter"}, "kind"),
    ("checkins", {"outcome": "unknown"}, "outcome"),
    ("checkins", {"officer": "me"}, "officer"),
]


@pytest.mark.parametrize(("path", "change", "field"), BAD_INPUTS)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(
    stack: Stack, commune_officer: Api, path: str, change: dict[str, Any], field: str
) -> None:
    person = _person(commune_officer)
    body, table = RECORDS[path]
    payload = {k: v for k, v in (body | change).items() if v is not OMIT}
    response = commune_officer.post(_url(person, f"/{path}"), json=payload)
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {field}, response.json()
    assert _rows(stack, table, person) == 0
    assert _events(stack, person, EVENT_TYPES[path]) == []


@pytest.mark.parametrize("path", sorted(RECORDS))
def test_a_date_before_the_person_was_born_is_422(
    stack: Stack, commune_officer: Api, path: str
) -> None:
    person = _person(commune_officer, date_of_birth="1990-05-17")
    body, table = RECORDS[path]
    field = next(k for k in body if k.endswith("_on") or k == "on")
    response = commune_officer.post(_url(person, f"/{path}"), json=body | {field: "1990-05-16"})
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {field}
    assert _rows(stack, table, person) == 0


def test_a_closed_file_takes_no_new_records(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    commitment = commune_officer.post(
        _url(person, "/commitments"), json=RECORDS["commitments"][0]
    ).json()
    etag = commune_officer.get(_url(person)).headers["etag"]
    closed = commune_officer.post(
        _url(person, "/close"),
        json={"on": TODAY.isoformat(), "reason": "Chuyển đi nơi khác"},
        headers={"If-Match": etag},
    )
    assert closed.status_code == 200, closed.text
    for path, (body, table) in RECORDS.items():
        before = _rows(stack, table, person)
        refused = commune_officer.post(_url(person, f"/{path}"), json=body)
        assert refused.status_code == 409, (path, refused.text)
        assert refused.json()["type"].endswith("person-closed")
        assert _rows(stack, table, person) == before
        # The history stays readable.
        assert commune_officer.get(_url(person, f"/{path}")).status_code == 200
    document_url = _url(person, f"/commitments/{commitment['id']}/document")
    assert _upload(commune_officer, document_url, PDF).status_code == 409


def test_signer_phone_and_scans_are_encrypted_at_rest(stack: Stack, commune_officer: Api) -> None:
    person = _person(commune_officer)
    body = {**RECORDS["commitments"][0], "signer_phone": "0987111222"}
    created = commune_officer.post(_url(person, "/commitments"), json=body)
    assert created.status_code == 201, created.text
    assert created.json()["signer_phone"] == "0987111222"
    document_url = _url(person, f"/commitments/{created.json()['id']}/document")
    assert _upload(commune_officer, document_url, PDF).status_code == 200

    stored = db_fetch(
        stack.config,
        "registry",
        "SELECT c.signer_phone, c.signer_phone_enc, d.content FROM person_commitments c "
        "JOIN documents d ON d.id = c.document_id WHERE c.id = $1::uuid",
        created.json()["id"],
    )[0]
    assert stored["signer_phone"] is None
    assert (
        stored["signer_phone_enc"].startswith("v2:") and "111222" not in stored["signer_phone_enc"]
    )
    assert stored["content"].startswith(b"v2:") and b"%PDF" not in stored["content"]
    assert PDF[20:60] not in stored["content"]
    # Read back in clear by who may read the file.
    listed = commune_officer.get(_url(person, "/commitments")).json()["items"]
    assert listed[0]["signer_phone"] == "0987111222"
    assert commune_officer.get(document_url).content == PDF
