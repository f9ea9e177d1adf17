"""structlog configuration: JSON lines in production, readable lines on a terminal."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

# A 12-digit national id (CCCD) or a phone number (0xxxxxxxxx, +84xxxxxxxxx) must never
# reach a log line: both keep their last three digits.
_NATIONAL_ID = re.compile(r"(?<!\d)\d{9}(\d{3})(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+?84|0)\d{6,7}(\d{3})(?!\d)")
# In a query string: a search (`q`) is about a person whatever it holds, and any other run
# of four or more digits may be the tail of an identifier.
_SEARCH_VALUE = re.compile(r"(?<=[?&])(q=)[^&#]*")
_DIGIT_RUN = re.compile(r"\d{4,}")


def mask_text(value: str) -> str:
    return _PHONE.sub(r"*******\1", _NATIONAL_ID.sub(r"*********\1", value))


def mask_target(target: str) -> str:
    """A request target for a log line: the path as is, the query masked."""
    path, sep, query = target.partition("?")
    if not sep:
        return target
    query = _SEARCH_VALUE.sub(r"\1***", "?" + query)[1:]
    return path + "?" + _DIGIT_RUN.sub(lambda m: "*" * len(m.group()), query)


def _mask_identifiers(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = mask_text(value)
    return event_dict


class AccessLogMask(logging.Filter):
    """uvicorn's access line is `%s - "%s %s HTTP/%s" %d`: mask the target (args[2]).

    Installed on the `uvicorn.access` logger by every process, so a launcher that forgets
    `--no-access-log` (compose, a hand-run uvicorn) still logs no CCCD, phone or search."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], mask_target(args[2]), *args[3:])
        elif isinstance(record.msg, str):
            record.msg = mask_text(record.msg)
        return True


def _mask_access_log() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogMask) for f in access.filters):
        access.addFilter(AccessLogMask())


def configure_logging(*, json: bool, level: str = "INFO") -> None:
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _mask_identifiers,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
        ),
        cache_logger_on_first_use=True,
    )
    _mask_access_log()
