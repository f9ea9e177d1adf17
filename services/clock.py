"""Legal dates are Vietnamese dates: "today" is today in Asia/Ho_Chi_Minh, not on the server."""

from __future__ import annotations

from datetime import date, datetime

from services.settings import VN_TZ


def today() -> date:
    return datetime.now(VN_TZ).date()
