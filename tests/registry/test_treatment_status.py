"""The registry follows every episode transition of the catalogue that moves a status:
admitted or started, then completed, discharged or ended."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from deploy.local.stack import Stack
from services import clock
from tests.registry.test_status_groups import _publish
from tests.support import Api, db_fetch, person_body

# (modality, the transitions published in order with their own fields, statuses in order)
CASES: dict[str, tuple[str, list[tuple[str, dict[str, Any]]], list[str]]] = {
    "admitted to compulsory, then absconded": (
        "compulsory",
        [
            ("treatment.episode_admitted", {}),
            ("treatment.episode_discharged", {"outcome": "absconded", "reason": "Bỏ trốn"}),
        ],
        ["addicted_untreated", "in_facility", "addicted_untreated"],
    ),
    "substitution completed: back to untreated": (
        "substitution",
        [("treatment.episode_admitted", {}), ("treatment.episode_completed", {})],
        ["addicted_untreated", "in_substitution_therapy", "addicted_untreated"],
    ),
    "home rehab completed: kept until after-care opens it": (
        "voluntary_home_community",
        [
            ("treatment.episode_started", {}),
            ("treatment.episode_completed", {}),
            ("treatment.episode_transferred", {}),  # moves nothing
        ],
        ["addicted_untreated", "in_home_community_rehab"],
    ),
    "ended by death closes the status": (
        "voluntary_facility",
        [("treatment.episode_started", {}), ("treatment.episode_ended", {"outcome": "died"})],
        ["addicted_untreated", "in_facility", "closed"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_episode_transitions_move_the_status(stack: Stack, commune_officer: Api, case: str) -> None:
    modality, transitions, statuses = CASES[case]
    person = commune_officer.post("/api/registry/persons", json=person_body()).json()
    episode = {
        "episode_id": str(uuid.uuid4()),
        "person_id": person["id"],
        "modality": modality,
        "on": clock.today().isoformat(),
    }
    for version, (event_type, fields) in enumerate(transitions, start=1):
        _publish(stack, "treatment", event_type, episode | {"version": version} | fields)
    # A marker last on the same feed (applied in order): once it shows, so have the rest.
    marker = episode | {"episode_id": str(uuid.uuid4()), "modality": "substitution"}
    _publish(stack, "treatment", "treatment.episode_started", marker | {"version": 1})
    # After-care applies treatment's feed too: a completion may open a real case, whose
    # `in_aftercare` lands in between; the registry's own following is what is checked here.
    expected = [*statuses, "in_substitution_therapy"]
    deadline = time.monotonic() + 30
    seen: list[str] = []
    while time.monotonic() < deadline:
        history = db_fetch(
            stack.config,
            "registry",
            "SELECT status FROM person_status_history WHERE person_id = $1 ORDER BY id",
            uuid.UUID(person["id"]),
        )
        seen = [h["status"] for h in history if h["status"] != "in_aftercare"]
        if seen == expected:
            break
        time.sleep(0.3)
    assert seen == expected
