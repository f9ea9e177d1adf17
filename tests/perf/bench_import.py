"""Import benchmark: a CSV of N synthetic persons (default 100,000, Vietnamese template)
posted through the gateway as a commune officer, against the raw COPY of as many persons
into the same table in the same run (the floor any import could reach).

    make bench            # or: python -m tests.perf.bench_import --rows 100000
"""

from __future__ import annotations

import argparse
import asyncio
import time

from tests.perf.bench_search import populate
from tests.perf.synthetic import Generator
from tests.registry.test_import_export import VI_HEADERS, _csv
from tests.support import login, start_stack, stop_stack

COMMUNE = "11953"  # xa.phohien's commune


def _rows(count: int) -> list[list[str]]:
    rows = []
    for person in Generator([COMMUNE], seed=7).persons(count):
        row = dict.fromkeys(VI_HEADERS, "")
        row.update({
            "Họ và tên": person.full_name,
            "Ngày sinh": person.date_of_birth.strftime("%d/%m/%Y"),
            "Giới tính": "Nam" if person.sex.value == "male" else "Nữ",
            "Số CCCD": person.national_id,
            "Số điện thoại": person.phone,
            "Mã xã nơi thường trú": COMMUNE,
            "Địa chỉ thường trú": person.address,
            "Đối tượng": "Người nghiện" if person.category == "addicted" else "Sử dụng trái phép",
            "Nghề nghiệp": person.occupation,
            "Trình độ học vấn": person.education,
        })  # fmt: skip
        rows.append([row[h] for h in VI_HEADERS])
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    content = _csv(_rows(args.rows))
    stack = start_stack("cnbenchimp")
    try:
        base = stack.config.base_url("gateway")
        api = login(base, "xa.phohien")
        api.timeout = 600
        started = time.perf_counter()
        response = api.post(
            "/api/registry/persons/import",
            files={"file": ("ho-so.csv", content, "text/csv")},
        )
        job = response.json()
        while job["status"] in ("queued", "running"):
            time.sleep(0.5)
            job = api.get(f"/api/registry/persons/import/{job['job_id']}").json()
        elapsed = time.perf_counter() - started
        assert job["status"] == "succeeded", job
        copy_started = time.perf_counter()
        asyncio.run(populate(stack.config, args.rows * 2, prefix=stack.config.db_prefix))
        copy_elapsed = time.perf_counter() - copy_started
    finally:
        stop_stack(stack)
    rate, copy_rate = job["created"] / elapsed, args.rows / copy_elapsed
    print(f"\nImport of {args.rows:,} CSV rows ({len(content) / 1e6:.1f} MB) through the gateway:")
    print(
        f"  import (validate, encrypt, dedupe, events, audit) {elapsed:6.1f} s {rate:7,.0f} rows/s"
    )
    print(
        f"  raw COPY of as many persons, same run             {copy_elapsed:6.1f} s  "
        f"{copy_rate:7,.0f} rows/s"
    )
    print(f"  import / raw COPY throughput: {rate / copy_rate:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
