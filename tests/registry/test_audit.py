from __future__ import annotations

from deploy.local.stack import Stack
from tests.support import Api, db_execute, db_fetch, person_body


def test_admin_reads_the_trail_of_a_person(admin: Api, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    commune_officer.get(f"/api/registry/persons/{person['id']}")
    trail = admin.get("/api/registry/audit", params={"person_id": person["id"]})
    assert trail.status_code == 200
    entries = trail.json()["items"]
    assert [e["action"] for e in entries] == ["person.read", "person.create"]
    assert {e["actor"] for e in entries} == {"xa.phohien"}
    assert all(e["request_id"] and e["unit"] == "11953" for e in entries)
    by_actor = admin.get("/api/registry/audit", params={"actor": "xa.phohien", "limit": 1})
    assert len(by_actor.json()["items"]) == 1 and by_actor.json()["next_cursor"]


def test_only_administrators_read_the_audit(commune_officer: Api, province_officer: Api) -> None:
    assert commune_officer.get("/api/registry/audit").status_code == 403
    assert province_officer.get("/api/registry/audit/check").status_code == 403


def test_audit_rows_cannot_be_updated(stack: Stack, admin: Api, commune_officer: Api) -> None:
    commune_officer.get("/api/registry/persons")
    try:
        db_fetch(stack.config, "registry", "UPDATE audit_log SET actor = 'x' WHERE id = 1")
    except Exception as exc:  # the trigger refuses
        assert "append-only" in str(exc)
    else:
        raise AssertionError("audit_log accepted an UPDATE")


def test_tampering_is_detected_by_the_check(stack: Stack, admin: Api, commune_officer: Api) -> None:
    commune_officer.get("/api/registry/persons")
    assert admin.get("/api/registry/audit/check").json()["intact"] is True
    row = db_fetch(
        stack.config, "registry", "SELECT id, actor FROM audit_log ORDER BY id DESC LIMIT 1"
    )[0]
    target, actor = int(row["id"]), str(row["actor"])
    # Someone with database rights bypasses the trigger and rewrites history.
    db_execute(
        stack.config,
        "registry",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; "
        f"UPDATE audit_log SET actor = 'someone-else' WHERE id = {target}; "
        "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update",
    )
    try:
        check = admin.get("/api/registry/audit/check").json()
        assert check == {"intact": False, "rows": check["rows"], "first_broken_id": target}
    finally:
        db_execute(
            stack.config,
            "registry",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update; "
            f"UPDATE audit_log SET actor = '{actor}' WHERE id = {target}; "
            "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update",
        )
    assert admin.get("/api/registry/audit/check").json()["intact"] is True
