"""The contact plan: when the next contact is due after one is made (weekly in the first
month, monthly after, by default; the service's settings change both)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ContactPlan:
    first_month_days: int = 7
    after_days: int = 30

    def next_due(self, opened_on: date, last_contact: date) -> date:
        in_first_month = last_contact < opened_on + timedelta(days=30)
        step = self.first_month_days if in_first_month else self.after_days
        return last_contact + timedelta(days=step)
