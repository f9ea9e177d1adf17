"""Realistic synthetic persons: Vietnamese names by their real frequency, real communes,
plausible ages and sexes for people on file, consistent CCCDs."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from registry_service.persons.national_id import PROVINCE_PREFIXES, century_sex_digit
from services.contracts.persons import Sex

# Surname shares from population surveys (Nguyễn ≈ 38 %, Trần 11 %, Lê 9.5 % …).
SURNAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Huỳnh": 1, "Phan": 4.5,
    "Vũ": 3, "Võ": 1, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 0.5, "Trịnh": 0.4, "Đoàn": 0.4, "Lương": 0.3, "Mai": 0.3, "Tạ": 0.2,
}  # fmt: skip
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Phương"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Mạnh",
    "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh",
    "Hà",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Phương",
    "Thảo",
    "Trang",
    "Yến",
]
OCCUPATIONS = ["Lao động tự do", "Nông dân", "Công nhân", "Lái xe", "Không nghề", "Buôn bán"]
EDUCATION = ["Tiểu học", "THCS", "THPT", "Trung cấp", "Cao đẳng", "Đại học"]


@dataclass(frozen=True)
class SyntheticPerson:
    full_name: str
    sex: Sex
    date_of_birth: date
    national_id: str
    phone: str
    unit_code: str
    category: str
    occupation: str
    education: str
    address: str


class Generator:
    def __init__(self, communes: list[str], seed: int = 2026, start: int = 0) -> None:
        self.random = random.Random(seed)
        # The n-th person gets serial n: national ids never repeat, even across runs.
        self.count = start
        self.communes = communes
        self._surnames = list(SURNAMES)
        self._weights = list(SURNAMES.values())
        self._prefixes = sorted(PROVINCE_PREFIXES)

    def person(self) -> SyntheticPerson:
        r = self.random
        # People on file are mostly men, mostly 20 to 45.
        sex = Sex.male if r.random() < 0.9 else Sex.female
        age = max(14, min(70, int(r.gauss(32, 9))))
        born = date.today() - timedelta(days=age * 365 + r.randrange(365))
        surname = r.choices(self._surnames, self._weights)[0]
        middle = r.choice(MIDDLE_MALE if sex == Sex.male else MIDDLE_FEMALE)
        given = r.choice(GIVEN_MALE if sex == Sex.male else GIVEN_FEMALE)
        digit = century_sex_digit(born.year, sex)
        serial = self.count % 10**6
        self.count += 1
        national_id = f"{r.choice(self._prefixes)}{digit}{born.year % 100:02d}{serial:06d}"
        return SyntheticPerson(
            full_name=f"{surname} {middle} {given}",
            sex=sex,
            date_of_birth=born,
            national_id=national_id,
            phone=f"0{r.choice('3579')}{r.randrange(10**8):08d}",
            unit_code=r.choice(self.communes),
            category="addicted" if r.random() < 0.7 else "illegal_user",
            occupation=r.choice(OCCUPATIONS),
            education=r.choice(EDUCATION),
            address=f"Số {r.randrange(1, 300)}, thôn {r.randrange(1, 12)}",
        )

    def persons(self, count: int) -> Iterator[SyntheticPerson]:
        for _ in range(count):
            yield self.person()
