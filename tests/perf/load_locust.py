"""Locust scenario: officers log in, search files, read one, open a new one.

Run by `make load` (tests/perf/load.py), which starts the stack, creates the officer accounts
and the files to read, and passes them here through the environment:

- CN_LOAD_TARGET   `gateway` (everything through /api/registry/…, creates included) or
                   `registry` (the same searches and reads straight to the service; logins
                   still go to the gateway, which is the only issuer of tokens)
- CN_LOAD_GATEWAY  the gateway's base URL; locust's --host is the target's
- CN_LOAD_ACCOUNTS comma-separated usernames, spread over the users (the login throttle
                   allows 5 attempts in flight per account and address)
- CN_LOAD_PASSWORD their password
- CN_LOAD_PERSONS  comma-separated ids of files in the accounts' jurisdiction
- CN_LOAD_WAIT     think time between tasks, "low,high" seconds (default 1,5)

Runs inside .venv-tools (locust and gevent), so it imports nothing from the project.
"""

from __future__ import annotations

import itertools
import os
import random
import uuid

from locust import HttpUser, between, task

TARGET = os.environ.get("CN_LOAD_TARGET", "gateway")
GATEWAY = os.environ.get("CN_LOAD_GATEWAY", "")
ACCOUNTS = itertools.cycle(os.environ.get("CN_LOAD_ACCOUNTS", "xa.phohien").split(","))
PASSWORD = os.environ.get("CN_LOAD_PASSWORD", "")
PERSONS = [p for p in os.environ.get("CN_LOAD_PERSONS", "").split(",") if p]
LOW, HIGH = (float(x) for x in os.environ.get("CN_LOAD_WAIT", "1,5").split(","))
PREFIX = "/api/registry" if TARGET == "gateway" else ""

# What officers type: a family name, a given name, both without diacritics, a trailing
# fragment of a national id.
QUERIES = ("nguyen", "tran van", "le thi", "pham", "hoang an", "vu", "dang minh", "bui", "5678")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hùng", "Minh", "Nam", "Phong", "Quân", "Tuấn")


class Officer(HttpUser):
    wait_time = between(LOW, HIGH)

    def on_start(self) -> None:
        username = next(ACCOUNTS)
        with self.client.post(
            f"{GATEWAY}/auth/login",
            json={"username": username, "password": PASSWORD},
            name="login",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                self.stop()
                return
            token = response.json()["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"

    @task(5)
    def search(self) -> None:
        self.client.get(
            f"{PREFIX}/persons", params={"q": random.choice(QUERIES)}, name="search persons"
        )

    @task(3)
    def read(self) -> None:
        if PERSONS:
            self.client.get(f"{PREFIX}/persons/{random.choice(PERSONS)}", name="read person")

    @task(1)
    def create(self) -> None:
        # Writes only through the gateway: the registry run compares reads and searches.
        if TARGET != "gateway":
            return
        body = {
            "full_name": f"{random.choice(FAMILY)} Văn {random.choice(GIVEN)} "
            f"t{uuid.uuid4().hex[:7]}",
            "date_of_birth": f"{random.randint(1965, 2004)}-{random.randint(1, 12):02d}-"
            f"{random.randint(1, 28):02d}",
            "sex": "male",
            "residence": {"unit_code": "11953", "address": "12 Phố Hiến"},
            "category": "addicted",
        }
        self.client.post(
            f"{PREFIX}/persons",
            params={"confirm_new": "true"},
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="create person",
        )
