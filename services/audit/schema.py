"""DDL of the audit trail, shared by every service's migrations.

`audit_log` holds what happened; `audit_chain` links each row, in the order the chainer saw
them, into a keyed hash chain. Both are insert-only three times over: the service's database
role is granted only INSERT and SELECT (the REVOKE below undoes the owner's default
privileges), triggers refuse UPDATE, DELETE and TRUNCATE even to the owner, and what a
superuser could still do is caught by `/audit/check` against the keyed chain and the
checkpoint kept outside the database.
"""

from __future__ import annotations

AUDIT_LOG_DDL = (
    """
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor       varchar(100) NOT NULL,
    roles       varchar(200) NOT NULL,
    unit        varchar(40) NOT NULL,
    action      varchar(60) NOT NULL,
    resource    varchar(60) NOT NULL,
    resource_id varchar(100),
    request_id  varchar(64),
    outcome     varchar(20) NOT NULL
)
""",
    "CREATE INDEX ix_audit_resource ON audit_log (resource, resource_id)",
    "CREATE INDEX ix_audit_actor_at ON audit_log (actor, at)",
)

AUDIT_CHAIN_DDL = (
    """
CREATE TABLE audit_chain (
    seq        bigint PRIMARY KEY,
    audit_id   bigint NOT NULL UNIQUE REFERENCES audit_log (id),
    prev_hash  char(64) NOT NULL,
    hash       char(64) NOT NULL,
    chained_at timestamptz NOT NULL DEFAULT now()
)
""",
)

_TABLES = ("audit_log", "audit_chain")

# Whoever was granted UPDATE, DELETE or TRUNCATE on the audit tables (the app role, through
# the owner's default privileges) loses them; the owner keeps them for migrations only.
AUDIT_RESTRICT = (
    """
DO $$
DECLARE r record;
BEGIN
    FOR r IN
        SELECT DISTINCT c.relname, a.grantee
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relname IN ('audit_log', 'audit_chain')
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON %I FROM %s',
            r.relname,
            CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END
        );
    END LOOP;
END $$
""",
)

AUDIT_GUARD_DDL = (
    """
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
""",
    *(
        statement
        for table in _TABLES
        for statement in (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
        )
    ),
    *AUDIT_RESTRICT,
)

AUDIT_DDL = AUDIT_LOG_DDL + AUDIT_CHAIN_DDL + AUDIT_GUARD_DDL
AUDIT_DROP = (
    "DROP TABLE IF EXISTS audit_chain",
    "DROP TABLE IF EXISTS audit_log",
    "DROP FUNCTION IF EXISTS audit_append_only()",
)
