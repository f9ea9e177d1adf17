"""What every payload model is: an `EventPayload`, and a `Snapshot` when it carries the state
of one subject after a write."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EventPayload(BaseModel):
    """A payload of one catalogued event type.

    Extra fields are ignored when parsing so a consumer keeps reading payloads that gained an
    optional field (which does not change the schema version).
    """

    model_config = ConfigDict(extra="ignore")


class Snapshot(EventPayload):
    """The state of one subject as a write left it.

    `version` is the subject's row version after that write (the one its ETag shows). A
    consumer keeps the version it applied and applies a snapshot only when it is newer, so
    two events about one subject served out of order still leave the newest state. 0 means
    "unknown" (a payload written before versions were carried): applied in feed order.
    """

    version: int = Field(ge=0)
