"""A living demo for `make run`: a few hundred files across two provinces, seeded through the API.

Written through the gateway's HTTP API as the demo officers (the API is the stable contract,
the databases are not), from a fixed random seed so every machine shows the same people.
Idempotent: a file is recognised by its CCCD, so a second run skips what exists and an
interrupted run carries on. Later issues add their domain's demo data here.

    python -m deploy.local.demo_data http://127.0.0.1:8000 [--persons 300]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from gateway.seed import DEMO_FACILITY_ID, DEMO_PASSWORD

SEED = 2026
REGISTRY = "/api/registry"
# The demo facility officer's centre (gateway.seed); treatment's demo files it under this id.
DEMO_FACILITY = str(DEMO_FACILITY_ID)
TREATMENT = "/api/treatment"


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    author: str  # the demo user who files people living here
    cccd_prefix: str  # the pre-2025 province where most residents' births were registered
    clinic: str
    weight: int
    streets: tuple[str, ...]


# Hưng Yên (33) and Hải Phòng (31) after the 2025 merger; the communes of the demo officers
# first, so each of them opens a full list. Hải Phòng is filed by the administrator: its
# demo user is a facility officer, who files nobody.
COMMUNES = (
    Commune(
        "11953", "Phường Phố Hiến", "xa.phohien", "033", "Trung tâm Y tế thành phố Hưng Yên", 30,
        ("Bãi Sậy", "Điện Biên", "Phạm Ngũ Lão", "Chùa Chuông", "Nguyễn Thiện Thuật"),
    ),
    Commune(
        "11980", "Phường Hồng Châu", "xa.hongchau", "033", "Trung tâm Y tế thành phố Hưng Yên", 14,
        ("Nguyễn Văn Linh", "Lê Văn Lương", "Triệu Quang Phục"),
    ),
    Commune(
        "11983", "Phường Sơn Nam", "tinh.hungyen", "033", "Bệnh viện Đa khoa tỉnh Hưng Yên", 8,
        ("Tô Hiệu", "Hải Thượng Lãn Ông", "Lê Đình Kiên"),
    ),
    Commune(
        "12103", "Phường Mỹ Hào", "tinh.hungyen", "033", "Trung tâm Y tế thị xã Mỹ Hào", 8,
        ("Nguyễn Văn Linh", "Bần Yên Nhân", "Phan Đình Phùng"),
    ),
    Commune(
        "12205", "Xã Khoái Châu", "tinh.hungyen", "033", "Trung tâm Y tế huyện Khoái Châu", 6,
        ("Thôn Đông Kết", "Thôn Bình Kiều", "Thôn Tân Châu"),
    ),
    Commune(
        "13225", "Phường Thái Bình", "tinh.hungyen", "034", "Bệnh viện Tâm thần Thái Bình", 8,
        ("Lý Bôn", "Trần Hưng Đạo", "Hai Bà Trưng", "Lê Lợi"),
    ),
    Commune(
        "11311", "Phường Hồng Bàng", "admin", "031", "Bệnh viện Tâm thần Hải Phòng", 8,
        ("Hoàng Văn Thụ", "Điện Biên Phủ", "Minh Khai", "Tam Bạc"),
    ),
    Commune(
        "11383", "Phường Lê Chân", "admin", "031", "Bệnh viện Tâm thần Hải Phòng", 8,
        ("Lạch Tray", "Tô Hiệu", "Hai Bà Trưng", "Nguyễn Công Trứ"),
    ),
    Commune(
        "11560", "Phường Thuỷ Nguyên", "admin", "031", "Trung tâm Y tế huyện Thủy Nguyên", 5,
        ("Đà Nẵng", "Bạch Đằng", "Thôn Trịnh Xá"),
    ),
    Commune(
        "10525", "Phường Hải Dương", "admin", "030", "Bệnh viện Tâm thần Hải Dương", 5,
        ("Trần Hưng Đạo", "Nguyễn Lương Bằng", "Thanh Niên", "Quang Trung"),
    ),
)  # fmt: skip

FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý", "Đào", "Đinh", "Mai", "Trịnh", "Phan", "Cao", "Lương", "Tạ", "Nghiêm",
)  # fmt: skip
MIDDLE = {
    "male": ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Ngọc", "Mạnh"),
    "female": ("Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh"),
}
GIVEN = {
    "male": (
        "Anh", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Long", "Nam", "Phong", "Quân", "Sơn",
        "Thắng", "Tuấn", "Việt", "Khánh", "Hoàng", "Trung", "Đạt", "Huy", "Kiên", "Lâm",
        "Mạnh", "Nghĩa", "Phúc", "Tâm", "Thịnh", "Toàn", "Tùng", "Vinh", "Hiếu", "Đông",
    ),
    "female": ("Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến"),
}  # fmt: skip
OCCUPATIONS = (
    "Lao động tự do", "Thợ xây", "Lái xe", "Không nghề nghiệp", "Buôn bán", "Công nhân",
    "Làm ruộng", "Thợ sửa xe", "Phụ hồ", "Bốc vác",
)  # fmt: skip
EDUCATION = ("6/12", "9/12", "9/12", "12/12", "12/12", "Cao đẳng")
RELATIVES = (("Mẹ", "female"), ("Bố", "male"), ("Vợ", "female"), ("Anh trai", "male"))
SUBSTANCES = {
    "opioids": ("heroin", "morphine"),
    "synthetic": ("methamphetamine", "mdma", "ketamine"),
}
# Hải Phòng's facilities and methadone sites come from its 2024 plan (treatment_service.demo,
# seeded before this); Hưng Yên's centre is added here so both provinces have one.
FACILITIES = (
    ("Cơ sở cai nghiện ma túy tỉnh Hưng Yên", "rehab_centre", "12205", {"compulsory": 300}),
)
# Who the receiving officer is, for moves between the demo communes.
MOVES = {"11953": "11980", "11980": "11953"}
RECEIVERS = {"11953": "xa.phohien", "11980": "xa.hongchau"}
SUPERVISORS = (
    ("Nguyễn Thị Hằng", "women_union", "11953", "0912345601"),
    ("Trần Văn Quý", "veterans", "11953", "0912345602"),
    ("Lê Minh Tú", "youth_union", "11953", "0912345603"),
    ("Phạm Thị Ngát", "women_union", "11980", "0912345604"),
)


@dataclass
class DemoPerson:
    body: dict[str, Any]
    commune: Commune
    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    movements: list[dict[str, Any]] = field(default_factory=list)
    close: dict[str, Any] | None = None
    acknowledged: bool = False  # a move the receiving commune has already acknowledged
    episode: DemoEpisode | None = None


@dataclass(frozen=True)
class DemoEpisode:
    """A treatment episode: registered, admitted and started on `start`; maybe completed."""

    modality: str
    # Which kind of Hải Phòng facility takes it (seed 004's, from treatment's demo); None for
    # rehabilitation at home and in the community, run by the commune.
    facility_kind: str | None
    start: date
    completed: date | None


def _commune(code: str) -> Commune:
    return next(c for c in COMMUNES if c.code == code)


def vietnam_today() -> date:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def cccd(rng: random.Random, prefix: str, birth: date, sex: str, used: set[str]) -> str:
    """Province of birth registration, century-and-sex digit, birth year, six random digits."""
    digit = (birth.year // 100 - 19) * 2 + (0 if sex == "male" else 1)
    while True:
        number = f"{prefix}{digit}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
        if number not in used:
            used.add(number)
            return number


def _phone(rng: random.Random) -> str:
    return rng.choice(("09", "03", "08")) + f"{rng.randrange(10**8):08d}"


def _name(rng: random.Random, sex: str, family: str | None = None) -> str:
    return f"{family or rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _ago(today: date, rng: random.Random, low: int, high: int) -> date:
    """A day between `high` and `low` days before today (never today: no future dates)."""
    return today - timedelta(days=rng.randint(max(low, 1), high))


def _address(rng: random.Random, commune: Commune) -> str:
    street = rng.choice(commune.streets)
    if street.startswith("Thôn"):
        return f"Xóm {rng.randint(1, 12)}, {street}"
    return f"Số {rng.randint(1, 250)}, phố {street}"


def build_people(count: int, today: date, seed: int = SEED) -> list[DemoPerson]:
    """The same `count` people, records and movements for a given seed and day."""
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    used: set[str] = set()
    people = []
    weights = [c.weight for c in COMMUNES]
    for index in range(count):
        # Round-robin over the communes first, so even a small demo touches every one.
        commune = COMMUNES[index] if index < len(COMMUNES) else rng.choices(COMMUNES, weights)[0]
        people.append(_person(rng, commune, today, used))
    # Episodes from a second generator, so the files stay what earlier versions made.
    episodes = random.Random(seed + 1)  # noqa: S311
    for person in people:
        person.episode = _episode(episodes, person, today)
    return people


HAI_PHONG_COMMUNES = frozenset({"11311", "11383", "11560", "10525"})


def _episode(rng: random.Random, person: DemoPerson, today: date) -> DemoEpisode | None:
    """About a third of the adults with addiction whose file stays put are in treatment: in
    Hải Phòng at a centre or a methadone site, in Hưng Yên at home and in the community."""
    adult = date.fromisoformat(person.body["date_of_birth"]) < today - timedelta(days=365 * 18)
    settled = not person.movements and person.close is None
    if person.body["category"] != "addicted" or not adult or not settled:
        return None
    if rng.random() > 0.45:
        return None
    start = today - timedelta(days=rng.randint(20, 300))
    if person.commune.code in HAI_PHONG_COMMUNES:
        modality, kind = rng.choice(
            (("substitution", "dispensing_site"), ("voluntary_facility", "rehab_centre"))
        )
    else:
        modality, kind = "voluntary_home_community", None
    ends = start + timedelta(days=rng.randint(90, 180))
    completed = ends if ends < today and modality != "substitution" else None
    return DemoEpisode(modality, kind, start, completed)


def _person(rng: random.Random, commune: Commune, today: date, used: set[str]) -> DemoPerson:
    sex = "male" if rng.random() < 0.88 else "female"
    age = rng.choice((16, 17)) if rng.random() < 0.05 else rng.randint(18, 52)
    birth = today - timedelta(days=365 * age + rng.randint(30, 330))
    family = rng.choice(FAMILY)
    full_name = _name(rng, sex, family)
    category = "illegal_user" if rng.random() < 0.4 else "addicted"
    body: dict[str, Any] = {
        "full_name": full_name,
        "date_of_birth": birth.isoformat(),
        "sex": sex,
        "national_id": cccd(
            rng, commune.cccd_prefix if rng.random() < 0.9 else "001", birth, sex, used
        ),
        "ethnicity": "Kinh",
        "education": rng.choice(EDUCATION),
        "occupation": rng.choice(OCCUPATIONS),
        "residence": {"unit_code": commune.code, "address": _address(rng, commune)},
        "category": category,
    }
    if rng.random() < 0.75:
        body["phone"] = _phone(rng)
    relationship, relative_sex = rng.choice(RELATIVES)
    if relationship == "Vợ" and (sex == "female" or age < 22):
        relationship, relative_sex = "Mẹ", "female"
    relative = _name(rng, relative_sex, family if relationship != "Vợ" else None)
    body["family_contact"] = {
        "full_name": relative,
        "relationship": relationship,
        "phone": _phone(rng),
    }
    if category == "illegal_user":
        # Some decisions near their first anniversary, so "ending soon" has entries.
        body["management_decision_date"] = _ago(today, rng, 20, 400).isoformat()
    person = DemoPerson(body, commune)
    _add_records(person, rng, today, relative, relationship)
    _add_movements(person, rng, today)
    return person


def _add_records(
    person: DemoPerson, rng: random.Random, today: date, relative: str, relationship: str
) -> None:
    group = rng.choice(("opioids", "synthetic", "synthetic"))
    first_test = _ago(today, rng, 120, 700)
    substances = sorted(rng.sample(SUBSTANCES[group], k=1 + (rng.random() < 0.3)))
    person.records.append(
        (
            "drug-tests",
            {
                "tested_on": first_test.isoformat(),
                "result": "positive",
                "substances": substances,
                "method": "urine",
            },
        )
    )
    if person.body["category"] == "addicted":
        determined = first_test + timedelta(days=rng.randint(3, 20))
        person.records.append(
            (
                "determinations",
                {
                    "determined_on": min(determined, today - timedelta(days=1)).isoformat(),
                    "clinic": person.commune.clinic,
                    "result": "addicted",
                    "substance_group": group,
                    "decision_number": f"{rng.randint(10, 999)}/QĐ-TTYT",
                },
            )
        )
    for _ in range(rng.randint(0, 2)):
        positive = rng.random() < 0.3
        person.records.append(
            (
                "drug-tests",
                {
                    "tested_on": _ago(today, rng, 5, 110).isoformat(),
                    "result": "positive" if positive else "negative",
                    "substances": substances if positive else [],
                    "method": rng.choice(("urine", "urine", "saliva")),
                },
            )
        )
    if rng.random() < 0.6:
        person.records.append(
            (
                "commitments",
                {
                    "signed_on": _ago(today, rng, 60, 300).isoformat(),
                    "signer_name": relative,
                    "relationship": relationship,
                    "note": "Gia đình cam kết phối hợp quản lý, giáo dục",
                },
            )
        )
    for _ in range(rng.randint(0, 4)):
        person.records.append(
            (
                "checkins",
                {
                    "on": _ago(today, rng, 1, 180).isoformat(),
                    "kind": rng.choice(("check_in", "check_in", "summons", "home_visit", "call")),
                    "outcome": rng.choice(("present", "present", "present", "absent", "other")),
                },
            )
        )


def _add_movements(person: DemoPerson, rng: random.Random, today: date) -> None:
    roll = rng.random()
    if roll < 0.10:
        left = _ago(today, rng, 10, 90)
        person.movements.append(
            {"kind": "absent", "on": left.isoformat(), "note": "Đi làm ăn xa, không khai báo"}
        )
        if rng.random() < 0.4:
            back = min(left + timedelta(days=rng.randint(5, 40)), today - timedelta(days=1))
            person.movements.append({"kind": "returned", "on": back.isoformat()})
    elif roll < 0.17 and person.commune.code in MOVES:
        # Between the two demo communes: each officer has moves in the inbox, some waiting.
        destination = MOVES[person.commune.code]
        person.movements.append(
            {
                "kind": "moved",
                "on": _ago(today, rng, 1, 30).isoformat(),
                "destination_unit_code": destination,
                "destination_address": _address(rng, _commune(destination)),
                "note": "Chuyển đến ở cùng gia đình",
            }
        )
        person.acknowledged = rng.random() < 0.4
    elif roll < 0.20:
        person.close = {
            "on": _ago(today, rng, 5, 60).isoformat(),
            "reason": "Hết thời hạn quản lý, không tái sử dụng",
        }


@dataclass
class Summary:
    created: int = 0
    skipped: int = 0
    records: int = 0
    movements: int = 0
    closed: int = 0
    facilities: int = 0
    supervisors: int = 0
    episodes: int = 0

    def add(self, other: Summary) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


class DemoSeeder:
    """Writes the demo through the gateway as the demo users; `run` is safe to repeat."""

    def __init__(
        self,
        base_url: str,
        *,
        log: Callable[[str], None] = print,
        timeout: float = 30.0,
        workers: int = 4,
    ) -> None:
        self.base_url = base_url
        self.workers = workers
        self.log = log
        self.timeout = timeout
        self.clients: dict[str, httpx.Client] = {}
        self.treatment_facilities: dict[str, str] = {}

    def __enter__(self) -> DemoSeeder:
        return self

    def __exit__(self, *_: object) -> None:
        for client in self.clients.values():
            client.close()

    def as_user(self, username: str) -> httpx.Client:
        if username not in self.clients:
            client = httpx.Client(base_url=self.base_url, timeout=self.timeout)
            response = client.post(
                "/auth/login", json={"username": username, "password": DEMO_PASSWORD}
            )
            _ok(response, f"login {username}")
            client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
            self.clients[username] = client
        return self.clients[username]

    def exists(self, national_id: str) -> bool:
        """A file with this CCCD, closed or not (the search matches trailing id digits)."""
        response = self.as_user("admin").get(
            f"{REGISTRY}/persons", params={"q": national_id, "limit": 5}
        )
        _ok(response, "search")
        # The list masks all but the last four digits: a match on the full number is ours.
        return any(
            (p.get("national_id") or "").endswith(national_id[-4:])
            for p in response.json()["items"]
        )

    def run(self, persons: int = 300, *, seed: int = SEED, today: date | None = None) -> Summary:
        people = build_people(persons, today or vietnam_today(), seed)
        summary = Summary()
        if people and self.exists(people[-1].body["national_id"]):
            self.log(f"Dữ liệu mẫu đã có / demo data already seeded ({persons} files): skipped")
            summary.skipped = persons
            return summary
        # An interrupted run left some files: look each one up; a fresh database needs not.
        resume = self.exists(people[0].body["national_id"])
        self.log(f"Nạp dữ liệu mẫu / seeding the demo: {persons} files through the API…")
        summary.facilities = self._facilities()
        summary.supervisors = self._supervisors()
        self._load_treatment_facilities()
        for username in {c.author for c in COMMUNES} | set(RECEIVERS.values()):
            self.as_user(username)  # log in before the workers share the clients
        # A few files at a time: each is its own chain of requests, the content stays fixed.
        # The last file is written alone, after all others: its presence means "all done".
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            done = pool.map(lambda p: self._person(p, check=resume), people[:-1])
            for index, part in enumerate(done, start=1):
                summary.add(part)
                if index % 25 == 0:
                    self.log(f"  {index}/{len(people)} hồ sơ / files")
        summary.add(self._person(people[-1], check=False))
        self.log(f"  {len(people)}/{len(people)} hồ sơ / files")
        self.log(
            f"Xong / done: {summary.created} files, {summary.records} records, "
            f"{summary.movements} movements, {summary.closed} closed, "
            f"{summary.episodes} treatment episodes "
            f"({summary.skipped} already there)"
        )
        return summary

    def _person(self, person: DemoPerson, *, check: bool) -> Summary:
        summary = Summary()
        if check and self.exists(person.body["national_id"]):
            summary.skipped += 1
            return summary
        client = self.as_user(person.commune.author)
        response = client.post(
            f"{REGISTRY}/persons", json=person.body, params={"confirm_new": "true"}
        )
        _ok(response, f"create {person.body['full_name']}")
        person_id = response.json()["id"]
        summary.created += 1
        for kind, body in sorted(person.records, key=lambda r: _record_date(r[1])):
            _ok(client.post(f"{REGISTRY}/persons/{person_id}/{kind}", json=body), kind)
            summary.records += 1
        for body in person.movements:
            _ok(client.post(f"{REGISTRY}/persons/{person_id}/movements", json=body), "movement")
            summary.movements += 1
            if body["kind"] == "moved" and person.acknowledged:
                self._acknowledge(person_id, RECEIVERS[body["destination_unit_code"]])
        if person.close:
            # Closing checks the version last read, as the SPA does.
            read = _ok(client.get(f"{REGISTRY}/persons/{person_id}"), "read")
            path = f"{REGISTRY}/persons/{person_id}/close"
            headers = {"If-Match": read.headers["ETag"]}
            _ok(client.post(path, json=person.close, headers=headers), "close")
            summary.closed += 1
        if person.episode is not None:
            summary.episodes += self._treat(person_id, person)
        return summary

    def _treat(self, person_id: str, person: DemoPerson) -> int:
        """Register, admit, start and maybe complete the person's episode (0 when the kind
        of facility it needs is not there)."""
        episode = person.episode
        assert episode is not None
        facility_id = None
        if episode.facility_kind is not None:
            facility_id = self._facility_of_kind(episode.facility_kind)
            if facility_id is None:
                return 0
        client = self.as_user(person.commune.author)
        late = {"backdate_reason": "Nhập dữ liệu mẫu / demo data"}
        body = {
            "person_id": person_id,
            "modality": episode.modality,
            "facility_id": facility_id,
            "start_date": episode.start.isoformat(),
        }
        created = _ok(client.post(f"{TREATMENT}/episodes", json=body), "episode").json()
        path = f"{TREATMENT}/episodes/{created['id']}"
        on = {"on": episode.start.isoformat(), **late}
        _ok(client.post(f"{path}/admit", json=on), "admit")
        _ok(client.post(f"{path}/start", json=on), "start")
        if episode.completed is not None:
            done = {"on": episode.completed.isoformat(), **late}
            _ok(client.post(f"{path}/complete", json=done), "complete")
        return 1

    def _facility_of_kind(self, kind: str) -> str | None:
        return self.treatment_facilities.get(kind)

    def _load_treatment_facilities(self) -> None:
        """Hải Phòng's facilities by kind (read once, before the workers start): the demo
        facility officer's centre first, so their first screen shows its occupancy."""
        listed = _ok(
            self.as_user("admin").get(f"{TREATMENT}/facilities", params={"limit": 200}),
            "facilities",
        ).json()["items"]
        for facility in sorted(listed, key=lambda f: (f["id"] != DEMO_FACILITY, f["name"])):
            if facility["unit_code"] == "31":
                self.treatment_facilities.setdefault(facility["kind"], facility["id"])

    def _acknowledge(self, person_id: str, username: str) -> None:
        """Some moves are already acknowledged by the receiving commune; the rest wait."""
        receiver = self.as_user(username)
        moves = _ok(receiver.get(f"{REGISTRY}/persons/{person_id}/movements"), "movements")
        for move in moves.json()["items"]:
            if move["kind"] == "moved" and move["acknowledged_at"] is None:
                path = f"{REGISTRY}/movements/{move['id']}/acknowledge"
                _ok(receiver.post(path), "acknowledge")

    def _facilities(self) -> int:
        client = self.as_user("admin")
        listed = _ok(client.get("/api/treatment/facilities", params={"limit": 500}), "facilities")
        present = {f["name"] for f in listed.json()["items"]}
        created = 0
        for name, kind, unit, capacities in FACILITIES:
            if name in present:
                continue
            body = {"name": name, "kind": kind, "unit_code": unit, "capacities": capacities}
            _ok(client.post("/api/treatment/facilities", json=body), "facility")
            created += 1
        return created

    def _supervisors(self) -> int:
        created = 0
        for name, organisation, unit, phone in SUPERVISORS:
            client = self.as_user("xa.phohien" if unit == "11953" else "xa.hongchau")
            listed = _ok(
                client.get("/api/aftercare/supervisors", params={"limit": 500}), "supervisors"
            )
            if any(s["full_name"] == name for s in listed.json()["items"]):
                continue
            body = {
                "full_name": name,
                "organisation": organisation,
                "unit_code": unit,
                "phone": phone,
            }
            _ok(client.post("/api/aftercare/supervisors", json=body), "supervisor")
            created += 1
        return created


def _record_date(body: dict[str, Any]) -> str:
    for key in ("tested_on", "determined_on", "signed_on", "on"):
        if key in body:
            return str(body[key])
    return ""


def _ok(response: httpx.Response, what: str) -> httpx.Response:
    if response.status_code >= 400:
        raise RuntimeError(f"demo data: {what} answered {response.status_code}: {response.text}")
    return response


def seed_demo_data(base_url: str, persons: int = 300) -> Summary:
    with DemoSeeder(base_url) as seeder:
        return seeder.run(persons)


def seed_for_run(base_url: str) -> None:
    """`make run`: seed unless CN_DEMO_PERSONS=0; a failure is reported, not fatal."""
    persons = int(os.environ.get("CN_DEMO_PERSONS", "300"))
    if persons <= 0:
        return
    try:
        seed_demo_data(base_url, persons)
    except (RuntimeError, httpx.HTTPError) as error:
        print(f"Không nạp được dữ liệu mẫu / demo data not seeded: {error}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="the gateway, e.g. http://127.0.0.1:8000")
    parser.add_argument("--persons", type=int, default=300)
    args = parser.parse_args(argv)
    seed_demo_data(args.base_url, args.persons)
    return 0


if __name__ == "__main__":
    sys.exit(main())
