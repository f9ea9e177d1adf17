"""`target.*` and `report.*`: quota plans and report submissions."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.contracts.payloads.base import Snapshot


class TargetPlanUpdated(Snapshot):
    """`target.plan_updated`: a plan pushed or pulled from the province; `version` is the
    plan's (an older one is refused)."""

    plan_id: str
    year: int
    unit_code: str
    unit_path: str


class ReportSnapshot(Snapshot):
    """A report of one unit for one period after a step; `version` is the report's."""

    report_id: UUID
    template: str
    period: str
    unit_code: str
    unit_path: str
    on: date


class ReportSubmitted(ReportSnapshot):
    """`report.submitted`: sent to the level above."""


class ReportApproved(ReportSnapshot):
    """`report.approved`: its numbers are frozen."""


class ReportRejected(ReportSnapshot):
    """`report.rejected`: back to the sender with `reason`."""

    reason: str


class ReportReopened(ReportSnapshot):
    """`report.reopened`: a closed period reopened on request."""

    reason: str


class ReportAmended(ReportSnapshot):
    """`report.amended`: a late change to case data, shown beside the approved numbers."""

    reason: str | None = None
