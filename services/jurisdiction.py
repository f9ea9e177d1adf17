"""The jurisdiction filter: an officer sees a unit and its subtree, nothing beside it.

Every row that belongs to a unit stores that unit's ltree path (e.g. `VN.33.11953`); the
caller's token carries the path of their jurisdiction. A row is readable when its path is a
descendant of (or equal to) the caller's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, cast, false

from services.auth import Principal
from services.db import _LtreeSQL


def path_within(path: str, ancestor: str) -> bool:
    """The same rule in Python, for objects already loaded."""
    if not ancestor:
        return False
    return path == ancestor or path.startswith(ancestor + ".")


def within_path(path_column: Any, ancestor: str) -> ColumnElement[bool]:
    # The empty ltree is an ancestor of every path: a token without a jurisdiction must see
    # nothing, never everything.
    if not ancestor:
        return false()
    result: ColumnElement[bool] = path_column.op("<@", is_comparison=True)(
        cast(ancestor, _LtreeSQL())
    )
    return result


def within_jurisdiction(path_column: Any, principal: Principal) -> ColumnElement[bool]:
    """SQL predicate: the row's unit path lies inside the caller's jurisdiction."""
    return within_path(path_column, principal.jurisdiction_path)
