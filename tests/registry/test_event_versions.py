"""Every `person.*` snapshot carries the person's version as the write left it: the version
the ETag shows after that write, never the one before."""

from __future__ import annotations

import json
from typing import Any

from deploy.local.stack import Stack
from services import clock
from tests.support import Api, db_fetch, person_body

SNAPSHOT_SCHEMA = 2


def _events(stack: Stack, person_id: str, after: int = 0) -> list[dict[str, Any]]:
    rows = db_fetch(
        stack.config,
        "registry",
        "SELECT position, type, version, payload::text AS payload FROM events "
        "WHERE subject = $1 AND position > $2 ORDER BY position",
        person_id,
        after,
    )
    return [
        {
            "position": r["position"],
            "type": r["type"],
            "schema": r["version"],
            "payload": json.loads(r["payload"]),
        }
        for r in rows
    ]


def _etag_version(response: Any) -> int:
    return int(response.headers["etag"].strip('"'))


def test_snapshots_carry_the_version_after_the_write(
    stack: Stack, commune_officer: Api, other_commune_officer: Api, province_officer: Api
) -> None:
    created = commune_officer.post(
        "/api/registry/persons", json=person_body(category="illegal_user")
    )
    assert created.status_code == 201, created.text
    person = created.json()
    url = f"/api/registry/persons/{person['id']}"
    seen = _events(stack, person["id"])
    assert [(e["type"], e["schema"], e["payload"]["version"]) for e in seen] == [
        ("person.registered", SNAPSHOT_SCHEMA, 1)
    ]

    # (who, method, path, body, types the write publishes); the move hands the file over to
    # the receiving commune, which closes it.
    today = clock.today().isoformat()
    writes: list[tuple[Api, str, str, dict[str, Any], set[str]]] = [
        (commune_officer, "PATCH", url, {"notes": "Ghi chú"}, {"person.updated"}),
        # Reclassified: the status changes too, in a second flush of the same write.
        (
            commune_officer,
            "PATCH",
            url,
            {"category": "addicted"},
            {"person.updated", "person.status_changed"},
        ),
        (commune_officer, "POST", f"{url}/movements", {"kind": "absent", "on": today}, set()),
        (
            commune_officer,
            "POST",
            f"{url}/movements",
            {"kind": "moved", "on": today, "destination_unit_code": "11980"},
            {"person.moved"},
        ),
        (
            other_commune_officer,
            "POST",
            f"{url}/close",
            {"on": today, "reason": "Chuyển đi"},
            {"person.closed", "person.status_changed"},
        ),
    ]
    versions = [1]
    for api, method, path, body, expected_types in writes:
        etag = api.get(url).headers["etag"]
        response = api.request(method, path, json=body, headers={"If-Match": etag})
        assert response.status_code in (200, 201), response.text
        after_write = _etag_version(province_officer.get(url))
        new = _events(stack, person["id"], seen[-1]["position"])
        assert expected_types <= {e["type"] for e in new}
        snapshots = [e for e in new if e["type"] != "person.arrival_acknowledged"]
        assert snapshots and all(e["schema"] == SNAPSHOT_SCHEMA for e in snapshots)
        # The last snapshot of a write is the file as the write left it.
        assert snapshots[-1]["payload"]["version"] == after_write
        assert all(e["payload"]["version"] <= after_write for e in snapshots)
        versions += [e["payload"]["version"] for e in snapshots]
        seen += new
    # Versions only grow along the feed, and every write moved them.
    assert versions == sorted(versions) and versions[-1] > versions[0]
    closed = [e for e in seen if e["type"] == "person.closed"][-1]["payload"]
    assert closed["status"] == "closed" and closed["unit_code"] == "11980"


def test_record_events_keep_their_schema(stack: Stack, commune_officer: Api) -> None:
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    response = commune_officer.post(
        f"/api/registry/persons/{person['id']}/checkins",
        json={"on": clock.today().isoformat(), "kind": "home_visit", "outcome": "absent"},
    )
    assert response.status_code == 201, response.text
    checkin = [e for e in _events(stack, person["id"]) if e["type"] == "person.checkin_recorded"]
    assert [(e["schema"], e["payload"]["kind"]) for e in checkin] == [(1, "home_visit")]
