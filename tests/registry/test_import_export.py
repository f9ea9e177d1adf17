"""Bulk import of person files from CSV / XLSX, and the export of the list as XLSX / CSV."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import uuid
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import httpx
from openpyxl import Workbook, load_workbook

from deploy.local.stack import Stack
from services import clock
from services.uploads import UPLOAD_SLOTS
from tests.support import (
    Api,
    cccd,
    db_execute,
    db_fetch,
    db_scalar,
    login,
    person_body,
    problem_fields,
    tag,
)

IMPORT = "/api/registry/persons/import"
EXPORT = "/api/registry/persons/export"
VI_HEADERS = [
    "Họ và tên",
    "Tên khác",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Số điện thoại",
    "Mã xã nơi thường trú",
    "Địa chỉ thường trú",
    "Đối tượng",
    "Ngày quyết định quản lý",
    "Dân tộc",
    "Trình độ học vấn",
    "Nghề nghiệp",
    "Ghi chú",
]
EN_HEADERS = [
    "full_name",
    "date_of_birth",
    "sex",
    "national_id",
    "unit_code",
    "address",
    "category",
    "management_decision_date",
]
CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _row(name: str, **values: str) -> list[str]:
    """A row of the Vietnamese template: an addicted man of Phố Hiến born 17/05/1990."""
    row = dict.fromkeys(VI_HEADERS, "")
    row.update(
        {
            "Họ và tên": name,
            "Ngày sinh": "17/05/1990",
            "Giới tính": "Nam",
            "Mã xã nơi thường trú": "11953",
            "Địa chỉ thường trú": "12 Phố Hiến",
            "Đối tượng": "Người nghiện",
        }
    )
    row.update({VI_HEADERS[_KEYS.index(k)]: v for k, v in values.items()})
    return [row[h] for h in VI_HEADERS]


_KEYS = [
    "full_name",
    "other_names",
    "date_of_birth",
    "sex",
    "national_id",
    "phone",
    "unit_code",
    "address",
    "category",
    "management_decision_date",
    "ethnicity",
    "education",
    "occupation",
    "notes",
]


def _csv(rows: list[list[str]], headers: list[str] = VI_HEADERS, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def _xlsx(rows: list[list[Any]], headers: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(
    api: Api, content: bytes, name: str = "ho-so.csv", mime: str = CSV_MIME, **params: Any
) -> httpx.Response:
    query = {k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()}
    return api.post(IMPORT, params=query, files={"file": (name, content, mime)})


def _finished(api: Api, response: httpx.Response, timeout: float = 60.0) -> dict[str, Any]:
    """The final report, polling the job when the upload answered 202."""
    assert response.status_code in (200, 201, 202), response.text
    report = dict(response.json())
    deadline = time.monotonic() + timeout
    while report["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, report
        time.sleep(0.2)
        polled = api.get(f"{IMPORT}/{report['job_id']}")
        assert polled.status_code == 200, polled.text
        report = dict(polled.json())
    return report


def _import(api: Api, content: bytes, **kw: Any) -> dict[str, Any]:
    return _finished(api, _upload(api, content, **kw))


def _errors(report: dict[str, Any]) -> list[tuple[int, str]]:
    return [(e["row"], e["field"]) for e in report["errors"]]


def _found(api: Api, word: str) -> list[dict[str, Any]]:
    response = api.get("/api/registry/persons", params={"q": word, "limit": 500})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def _counts(stack: Stack) -> tuple[int, int, int]:
    return (
        int(db_scalar(stack.config, "registry", "SELECT count(*) FROM persons")),
        int(db_scalar(stack.config, "registry", "SELECT count(*) FROM events")),
        int(
            db_scalar(
                stack.config,
                "registry",
                "SELECT count(*) FROM audit_log WHERE action = 'person.import'",
            )
        ),
    )


def test_vietnamese_csv_files_each_row_as_post_persons_does(
    stack: Stack, commune_officer: Api, admin: Api
) -> None:
    word = tag()
    nid = cccd(birth_year=1990)
    content = _csv(
        [
            _row(
                f"Nguyễn Văn Nhập {word}",
                other_names="Tý; Tèo",
                national_id=nid,
                phone="0912 345 678",
                ethnicity="Kinh",
                education="12/12",
                occupation="Lao động tự do",
            ),
            _row(
                f"Trần Thị Nhập {word}",
                date_of_birth="1985",
                sex="Nữ",
                category="Sử dụng trái phép",
                management_decision_date="01/03/2025",
            ),
        ]
    )
    response = _upload(commune_officer, content)
    assert response.status_code == 201, response.text
    report = response.json()
    assert response.headers["location"] == f"/persons/import/{report['job_id']}"
    assert report["status"] == "succeeded" and not report["dry_run"]
    assert (report["total_rows"], report["valid_rows"], report["created"]) == (2, 2, 2)
    assert report["errors"] == []

    found = {p["full_name"]: p for p in _found(commune_officer, word)}
    man, woman = found[f"Nguyễn Văn Nhập {word}"], found[f"Trần Thị Nhập {word}"]
    assert man["status"] == "addicted_untreated" and man["other_names"] == ["Tý", "Tèo"]
    assert man["national_id"] == "********" + nid[-4:]
    assert woman["status"] == "illegal_user_managed" and woman["sex"] == "female"
    assert (woman["date_of_birth"], woman["birth_year"]) == (None, 1985)
    assert (woman["management_start"], woman["management_end"]) == ("2025-03-01", "2026-03-01")
    detail = commune_officer.get(f"/api/registry/persons/{man['id']}").json()
    assert (detail["national_id"], detail["phone"]) == (nid, "0912345678")

    # What POST /persons gives a file: its event, first status period, identifier history.
    for person in (man, woman):
        pid = uuid.UUID(person["id"])
        events = db_fetch(
            stack.config,
            "registry",
            "SELECT type, unit, version, payload::text AS payload FROM events WHERE subject = $1",
            str(pid),
        )
        assert [(e["type"], e["unit"]) for e in events] == [("person.registered", "11953")]
        # Through the kernel's publish_many: the catalogue's schema version, the file's version.
        registered = json.loads(events[0]["payload"])
        assert (events[0]["version"], registered["version"]) == (2, 1)
        assert (registered["person_id"], registered["status"]) == (person["id"], person["status"])
        periods = db_fetch(
            stack.config,
            "registry",
            "SELECT status, source, valid_to FROM person_status_history WHERE person_id = $1",
            pid,
        )
        assert [(p["status"], p["source"], p["valid_to"]) for p in periods] == [
            (person["status"], "registry", None)
        ]
    identifiers = db_fetch(
        stack.config,
        "registry",
        "SELECT person_id, kind FROM person_identifiers WHERE person_id = ANY($1::uuid[])",
        [uuid.UUID(man["id"]), uuid.UUID(woman["id"])],
    )
    assert [(str(i["person_id"]), i["kind"]) for i in identifiers] == [(man["id"], "cccd")]
    audited = db_fetch(
        stack.config,
        "registry",
        "SELECT action, resource_id, outcome FROM audit_log "
        "WHERE resource_id = ANY($1::text[]) ORDER BY id",
        [man["id"], woman["id"], report["job_id"]],
    )
    assert sorted((a["action"], a["resource_id"]) for a in audited[:2]) == sorted(
        [("person.import", man["id"]), ("person.import", woman["id"])]
    )
    assert (audited[2]["action"], audited[2]["outcome"]) == ("person.import_job", "ok:2")
    assert admin.get("/api/registry/audit/check").json()["intact"] is True


def test_english_xlsx_with_typed_cells(commune_officer: Api) -> None:
    word = tag()
    nid = cccd(birth_year=1995, sex="female")
    rows = [
        # A CCCD typed into a number cell loses its leading zero; the import restores it.
        [f"Lê Thị Bảng {word}", date(1995, 2, 3), "Female", int(nid), "11953", "", "illegal_user",
         date(2025, 6, 1)],
        [f"Lê Văn Bảng {word}", 1979, "male", None, "11953", "Thôn 1", "addicted", None],
    ]  # fmt: skip
    report = _import(commune_officer, _xlsx(rows, EN_HEADERS), name="persons.xlsx", mime=XLSX_MIME)
    assert report["status"] == "succeeded" and report["created"] == 2, report
    found = {p["full_name"]: p for p in _found(commune_officer, word)}
    her = found[f"Lê Thị Bảng {word}"]
    assert (her["date_of_birth"], her["sex"], her["status"]) == (
        "1995-02-03",
        "female",
        "illegal_user_managed",
    )
    assert commune_officer.get(f"/api/registry/persons/{her['id']}").json()["national_id"] == nid
    assert found[f"Lê Văn Bảng {word}"]["birth_year"] == 1979


def test_dry_run_checks_and_writes_nothing(stack: Stack, commune_officer: Api) -> None:
    word = tag()
    content = _csv([_row(f"Phạm Văn Thử {word}"), _row(f"Phạm Thị Thử {word}", sex="nữ")])
    before = _counts(stack)
    response = _upload(commune_officer, content, dry_run=True)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["status"], report["dry_run"], report["valid_rows"], report["created"]) == (
        "succeeded",
        True,
        2,
        0,
    )
    assert _counts(stack) == before
    assert _found(commune_officer, word) == []


def test_a_file_that_is_not_utf8_or_not_a_workbook_is_422(commune_officer: Api) -> None:
    text = _csv([_row(f"Đặng Văn Mã {tag()}")]).decode("utf-8-sig")
    for encoding in ("cp1258", "latin-1"):
        content = text.encode(encoding, errors="replace")
        response = _upload(commune_officer, content)
        assert response.status_code == 422, response.text
        assert problem_fields(response) == {"file"}
        assert "UTF-8" in response.json()["errors"][0]["message"]
    broken = _upload(commune_officer, b"PK\x03\x04 not really", name="x.xlsx", mime=XLSX_MIME)
    assert broken.status_code == 422 and problem_fields(broken) == {"file"}
    assert "xlsx" in broken.json()["detail"]


def test_missing_required_columns_are_one_422_naming_them(commune_officer: Api) -> None:
    headers = [h for h in VI_HEADERS if h not in ("Giới tính", "Đối tượng")]
    response = _upload(commune_officer, _csv([["x"] * len(headers)], headers=headers))
    assert response.status_code == 422, response.text
    assert problem_fields(response) == {"sex", "category"}
    assert "Giới tính" in response.json()["detail"]


def test_an_unknown_column_is_an_error_of_the_report(stack: Stack, commune_officer: Api) -> None:
    word = tag()
    headers = [*VI_HEADERS, "Nơi sinh"]
    content = _csv([[*_row(f"Võ Văn Cột {word}"), "Hưng Yên"]], headers=headers, delimiter=",")
    for mode in ("all_or_nothing", "valid_rows"):
        report = _import(commune_officer, content, mode=mode)
        assert report["status"] == "rejected" and report["created"] == 0
        assert _errors(report) == [(1, "Nơi sinh")]
    assert _found(commune_officer, word) == []


def test_a_row_number_column_is_ignored_and_a_file_without_rows_rejected(
    commune_officer: Api,
) -> None:
    word = tag()
    # Templates often come numbered down the page: numbered but empty rows are not data.
    rows = [["1", *_row(f"Kiều Văn Số {word}")], ["2", *[""] * len(VI_HEADERS)]]
    report = _import(commune_officer, _csv(rows, headers=["STT", *VI_HEADERS]))
    assert (report["status"], report["total_rows"], report["created"]) == ("succeeded", 1, 1)
    empty = _import(commune_officer, _csv([]))
    assert empty["status"] == "rejected" and _errors(empty) == [(0, "file")]


def test_bad_dates_are_reported_on_their_rows(commune_officer: Api) -> None:
    word = tag()
    tomorrow = date.fromordinal(clock.today().toordinal() + 1).strftime("%d/%m/%Y")
    content = _csv(
        [
            _row(f"Hà Văn Một {word}"),
            _row(f"Hà Văn Hai {word}", date_of_birth="31/02/1990"),
            _row(f"Hà Văn Ba {word}", date_of_birth="17-05-90"),
            _row(f"Hà Văn Bốn {word}", date_of_birth=""),
            _row(f"Hà Văn Năm {word}", date_of_birth=tomorrow),
            _row(
                f"Hà Văn Sáu {word}",
                category="Sử dụng trái phép",
                management_decision_date="2025",
            ),
        ]
    )
    report = _import(commune_officer, content)
    assert report["status"] == "rejected" and report["created"] == 0
    assert report["valid_rows"] == 1
    assert _errors(report) == [
        (3, "date_of_birth"),
        (4, "date_of_birth"),
        (5, "date_of_birth"),
        (6, "date_of_birth"),
        (7, "management_decision_date"),
    ]
    assert report["errors"][0]["column"] == "Ngày sinh"
    assert "dd/mm/yyyy" in report["errors"][0]["message"]


def test_a_cccd_repeated_in_the_file_flags_both_rows(commune_officer: Api) -> None:
    word = tag()
    nid = cccd()
    content = _csv(
        [
            _row(f"Đinh Văn Một {word}", national_id=nid),
            _row(f"Đinh Văn Hai {word}"),
            _row(f"Đinh Văn Ba {word}", national_id=nid),
        ]
    )
    report = _import(commune_officer, content, mode="valid_rows")
    assert _errors(report) == [(2, "national_id"), (4, "national_id")]
    assert "dòng 4" in report["errors"][0]["message"]
    assert "dòng 2" in report["errors"][1]["message"]
    assert report["created"] == 1


def test_a_cccd_already_on_file_names_the_file_only_to_who_may_see_it(
    commune_officer: Api, other_commune_officer: Api
) -> None:
    nid = cccd()
    existing = commune_officer.post("/api/registry/persons", json=person_body(national_id=nid))
    assert existing.status_code == 201
    mine = _import(commune_officer, _csv([_row(f"Mai Văn Trùng {tag()}", national_id=nid)]))
    assert mine["status"] == "rejected" and _errors(mine) == [(2, "national_id")]
    assert existing.json()["id"] in mine["errors"][0]["message"]

    peer_row = _row(f"Mai Văn Trùng {tag()}", national_id=nid, unit_code="11980")
    peer = _import(other_commune_officer, _csv([peer_row]))
    assert _errors(peer) == [(2, "national_id")]
    assert existing.json()["id"] not in peer["errors"][0]["message"]


def test_units_unknown_or_outside_the_jurisdiction_are_refused(commune_officer: Api) -> None:
    word = tag()
    content = _csv(
        [
            _row(f"Lý Văn Xa {word}", unit_code="11980"),
            _row(f"Lý Văn Lạ {word}", unit_code="99999"),
            _row(f"Lý Văn Tỉnh {word}", unit_code="33"),
        ]
    )
    report = _import(commune_officer, content)
    assert _errors(report) == [(2, "unit_code"), (3, "unit_code"), (4, "unit_code")]
    messages = [e["message"] for e in report["errors"]]
    assert "ngoài địa bàn" in messages[0] and "99999" in messages[1] and "cấp xã" in messages[2]
    assert _found(commune_officer, word) == []


def test_all_or_nothing_with_one_bad_row_writes_nothing(stack: Stack, commune_officer: Api) -> None:
    word = tag()
    rows = [_row(f"Tạ Văn {i} {word}") for i in range(4)]
    rows.insert(2, _row(f"Tạ Văn Sai {word}", sex="không rõ"))
    before = _counts(stack)
    response = _upload(commune_officer, _csv(rows))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["status"], report["valid_rows"], report["created"]) == ("rejected", 4, 0)
    assert _errors(report) == [(4, "sex")]
    assert _counts(stack) == before
    assert _found(commune_officer, word) == []


def test_valid_rows_mode_writes_only_the_good_rows(commune_officer: Api) -> None:
    word = tag()
    rows = [_row(f"Tạ Thị {i} {word}", sex="Nữ") for i in range(4)]
    rows.insert(1, _row(f"Tạ Thị Sai {word}", sex="Nữ", national_id="123"))
    report = _import(commune_officer, _csv(rows), mode="valid_rows")
    assert (report["status"], report["valid_rows"], report["created"]) == ("succeeded", 4, 4)
    assert _errors(report) == [(3, "national_id")]
    names = {p["full_name"] for p in _found(commune_officer, word)}
    assert names == {f"Tạ Thị {i} {word}" for i in range(4)}


def test_same_name_and_birth_in_the_province_is_only_a_warning(commune_officer: Api) -> None:
    name = f"Bùi Văn Giống {tag()}"
    existing = commune_officer.post(
        "/api/registry/persons", json=person_body(full_name=name, date_of_birth="1990-05-17")
    )
    assert existing.status_code == 201
    report = _import(commune_officer, _csv([_row(name)]))
    assert report["status"] == "succeeded" and report["created"] == 1
    assert [(w["row"], w["field"]) for w in report["warnings"]] == [(2, "full_name")]


def test_ten_thousand_rows_with_progress(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, admin: Api
) -> None:
    word = tag()
    seen: set[str] = set()
    rows = []
    for i in range(10_000):
        year, sex = 1960 + i % 45, ("male", "female")[i % 2]
        nid = cccd(province="034", birth_year=year, sex=sex)
        while nid in seen:
            nid = cccd(province="034", birth_year=year, sex=sex)
        seen.add(nid)
        rows.append(
            _row(
                f"Phạm Văn {word} {i:05d}",
                date_of_birth=f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year}",
                sex="Nam" if sex == "male" else "Nữ",
                national_id=nid,
                phone=f"09{i:08d}",
                occupation="Lao động tự do",
            )
        )
    content = _csv(rows)
    started = time.monotonic()
    response = _upload(commune_officer, content)
    assert response.status_code in (201, 202), response.text
    job = response.json()
    progress = [job["processed_rows"]]
    while job["status"] in ("queued", "running"):
        assert time.monotonic() - started < 60, job
        polled = commune_officer.get(f"{IMPORT}/{job['job_id']}")
        assert polled.status_code == 200, polled.text
        job = polled.json()
        progress.append(job["processed_rows"])
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    assert job["status"] == "succeeded", job["errors"][:5]
    assert (job["total_rows"], job["created"], job["error_count"]) == (10_000, 10_000, 0)
    assert progress == sorted(progress) and progress[-1] == 10_000
    print(f"\nimported 10,000 rows in {elapsed:.1f} s: {10_000 / elapsed:,.0f} rows/s")
    if response.status_code == 202:  # not done within ~2 s: watched while it ran
        assert response.headers["location"] == f"/persons/import/{job['job_id']}"
        assert response.json()["status"] in ("queued", "running")
        assert progress[0] < 10_000 and len(set(progress)) >= 2, progress
    # Only its creator and administrators see a job.
    assert other_commune_officer.get(f"{IMPORT}/{job['job_id']}").status_code == 404
    assert admin.get(f"{IMPORT}/{job['job_id']}").status_code == 200
    stored = db_scalar(
        stack.config,
        "registry",
        "SELECT count(*) FROM persons WHERE search_name LIKE $1",
        f"%{word}%",
    )
    assert stored == 10_000


def test_more_than_20_mb_or_200_000_rows_is_413(commune_officer: Api) -> None:
    response = _upload(commune_officer, b"a;b\n" * (21 * 1024 * 1024 // 4))
    assert response.status_code == 413, response.text[:300]
    rows = _upload(commune_officer, ";".join(VI_HEADERS).encode() + b"\nx\n" * 200_001)
    assert rows.status_code == 413, rows.text[:300]
    assert "200" in rows.json()["detail"]


def _exported_csv(api: Api, **params: Any) -> tuple[httpx.Response, list[dict[str, str]]]:
    response = api.get(EXPORT, params={"format": "csv", **params})
    assert response.status_code == 200, response.text
    assert response.content.startswith("\ufeff".encode())
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_masks_ids_neutralises_formulas_and_stays_in_the_jurisdiction(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, province_officer: Api
) -> None:
    word = tag()
    ids = [cccd(birth_year=1990), cccd(birth_year=1990), cccd(birth_year=1988)]
    rows = [
        _row(f"=Lê Văn Công Thức {word}", national_id=ids[0], phone="+84912000111"),
        _row(f"Lê Văn Hai {word}", national_id=ids[1], occupation="@SUM(A1)", notes="ghi chú"),
        _row(f"Lê Văn Ba {word}", national_id=ids[2], date_of_birth="1988"),
    ]
    imported = _import(commune_officer, _csv(rows))
    assert imported["created"] == 3, imported
    # Written before input refused control characters: one hides a formula behind \x01.
    hidden = '\x01=HYPERLINK("http://x.example","y")'
    db_execute(
        stack.config,
        "registry",
        'UPDATE persons SET residence_address = chr(1) || \'=HYPERLINK("http://x.example","y")\' '
        f"WHERE full_name = 'Lê Văn Ba {word}'",
    )

    response, lines = _exported_csv(commune_officer, q=word)
    assert re.fullmatch(
        r'attachment; filename="ho-so-doi-tuong-\d{8}\.csv"',
        response.headers["content-disposition"],
    )
    by_name = {line["Họ và tên"]: line for line in lines}
    assert set(by_name) == {f"'=Lê Văn Công Thức {word}", f"Lê Văn Hai {word}", f"Lê Văn Ba {word}"}
    formula = by_name[f"'=Lê Văn Công Thức {word}"]
    assert formula["Số CCCD"] == "********" + ids[0][-4:]
    assert formula["Số điện thoại"].endswith("0111") and "912" not in formula["Số điện thoại"]
    assert formula["Ngày sinh"] == "17/05/1990" and formula["Giới tính"] == "Nam"
    assert formula["Xã, phường nơi thường trú"] == "Phường Phố Hiến"
    assert formula["Tình trạng"] == "Nghiện, chưa điều trị"
    assert by_name[f"Lê Văn Hai {word}"]["Nghề nghiệp"] == "'@SUM(A1)"
    assert by_name[f"Lê Văn Ba {word}"]["Ngày sinh"] == "1988"
    assert by_name[f"Lê Văn Ba {word}"]["Địa chỉ thường trú"] == "'" + hidden[1:]
    # Notes are not exported: free text about a person stays in the file.
    assert "Ghi chú" not in lines[0] and "ghi chú" not in response.text

    xlsx = commune_officer.get(EXPORT, params={"format": "xlsx", "q": word})
    assert xlsx.status_code == 200, xlsx.text
    assert re.search(r'filename="ho-so-doi-tuong-\d{8}\.xlsx"', xlsx.headers["content-disposition"])
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, body = table[0], table[1:]
    assert header[:6] == ["Mã hồ sơ", "Họ và tên", "Tên khác", "Ngày sinh", "Giới tính", "Số CCCD"]
    names = {r[1]: r for r in body}
    assert set(names) == set(by_name)
    first = names[f"'=Lê Văn Công Thức {word}"]
    assert first[5] == "********" + ids[0][-4:] and first[6] == "********0111"
    assert first[3].date() == date(1990, 5, 17)
    date_cell = sheet.cell(row=1 + table.index(first), column=4)
    assert date_cell.number_format.lower() == "dd/mm/yyyy" and date_cell.data_type != "f"
    third = names[f"Lê Văn Ba {word}"]
    assert third[header.index("Địa chỉ thường trú")] == "'" + hidden[1:]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    _, province_lines = _exported_csv(province_officer, q=word)
    assert sorted(line["Số CCCD"] for line in province_lines) == sorted(ids)
    assert "'+84912000111" in {line["Số điện thoại"] for line in province_lines}
    _, peer_lines = _exported_csv(other_commune_officer, q=word)
    assert peer_lines == []
    audited = db_fetch(
        stack.config,
        "registry",
        "SELECT actor, resource_id, outcome FROM audit_log WHERE action = 'person.export' "
        "ORDER BY id DESC LIMIT 4",
    )
    assert [(a["actor"], a["outcome"]) for a in audited] == [
        ("xa.hongchau", "ok:0"),
        ("tinh.hungyen", "ok:3"),
        ("xa.phohien", "ok:3"),
        ("xa.phohien", "ok:3"),
    ]
    assert audited[3]["resource_id"] == f"csv q={word}"


def _bomb(inflated_mb: int) -> bytes:
    """A real workbook whose sheet is padded with whitespace: tiny zipped, huge inflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_xlsx([], VI_HEADERS))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, data)
                continue
            head, _, tail = data.partition(b"</sheetData>")
            with target.open("xl/worksheets/sheet1.xml", "w") as sheet:
                sheet.write(head)
                chunk = b" " * (1024 * 1024)
                for _ in range(inflated_mb):
                    sheet.write(chunk)
                sheet.write(b"</sheetData>" + tail)
    return buffer.getvalue()


def test_a_workbook_bomb_is_refused_before_it_is_parsed(commune_officer: Api) -> None:
    bomb = _bomb(110)
    assert len(bomb) < 1024 * 1024  # well under the 20 MB upload limit
    response = _upload(commune_officer, bomb, name="ho-so.xlsx", mime=XLSX_MIME)
    assert response.status_code == 413, response.text[:300]
    assert "100 MB" in response.json()["detail"]


def test_parallel_uploads_beyond_the_slots_answer_429(gateway_url: str) -> None:
    """Uploads that hold their slot while their body trickles in: one more is refused."""
    release = threading.Event()
    apis = [login(gateway_url, "xa.phohien") for _ in range(UPLOAD_SLOTS + 1)]

    def slow_body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        release.wait(30)
        yield b"x\r\n--b--\r\n"

    def hold(api: Api) -> int:
        headers = {"Content-Type": "multipart/form-data; boundary=b"}
        return api.post(IMPORT, content=slow_body(), headers=headers).status_code

    try:
        with ThreadPoolExecutor(UPLOAD_SLOTS) as pool:
            held = [pool.submit(hold, api) for api in apis[:UPLOAD_SLOTS]]
            time.sleep(2.0)  # the held uploads have reached the registry
            extra = _upload(apis[-1], _csv([_row(f"Lê Văn Thừa {tag()}")]), dry_run=True)
            release.set()
            statuses = [future.result(60) for future in held]
        assert extra.status_code == 429, extra.text[:300]
        assert int(extra.headers["Retry-After"]) > 0
        assert 429 not in statuses
        # Slots come back: the same upload goes through now.
        again = _upload(apis[-1], _csv([_row(f"Lê Văn Thừa {tag()}")]), dry_run=True)
        assert again.status_code in (200, 202), again.text[:300]
    finally:
        release.set()
        for api in apis:
            api.close()
