"""Append-only, tamper-evident audit of reads and writes of personal data.

`record`/`record_many` insert rows in the caller's transaction without any lock; the chainer
(`chain.AuditChainer`, started by the app factory) links committed rows into a keyed hash
chain and checkpoints its head outside the database; `audit_router()` lists and checks.
"""

from __future__ import annotations

from services.audit.chain import AuditChainer, AuditTrail, ChainReport, verify
from services.audit.record import record, record_many
from services.audit.router import audit_router
from services.audit.schema import AUDIT_DDL, AUDIT_DROP

__all__ = [
    "AUDIT_DDL",
    "AUDIT_DROP",
    "AuditChainer",
    "AuditTrail",
    "ChainReport",
    "audit_router",
    "record",
    "record_many",
    "verify",
]
