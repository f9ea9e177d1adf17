"""Database roles: each service database has an owner role and an app role.

The owner owns the database and runs the migrations (and so may create the trusted
extensions ltree, pg_trgm, unaccent). The service process connects as the app role:
LOGIN, no superuser, no CREATEDB/CREATEROLE, with SELECT/INSERT/UPDATE/DELETE on the owner's
tables through default privileges, except the audit tables where the migrations leave it
INSERT and SELECT only. Every step is idempotent, so `make run` can run it again.

Works as a superuser (the embedded server) or as a DATABASE_URL user with CREATEROLE and
CREATEDB: that user is made a member of each owner role so it may create the owner's
database and set its default privileges.
"""

from __future__ import annotations

import re
from typing import Protocol

import asyncpg

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
AUDIT_TABLES = ("audit_log", "audit_chain")


class RoleConfig(Protocol):
    def role(self, service: str, kind: str) -> str: ...
    def role_password(self, service: str, kind: str) -> str: ...
    def database_name(self, service: str) -> str: ...
    def plain_url(self, database: str) -> str: ...


def _ident(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"unexpected database identifier {name!r}")
    return f'"{name}"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


async def _ensure_role(conn: asyncpg.Connection, name: str, password: str) -> None:
    exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", name)
    verb = "ALTER" if exists else "CREATE"
    # ALTER as well as CREATE: the password follows the installation's secrets file.
    await conn.execute(
        f"{verb} ROLE {_ident(name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
        f"PASSWORD {_literal(password)}"
    )


async def ensure_database(
    conn: asyncpg.Connection, config: RoleConfig, service: str, *, fresh: bool = False
) -> None:
    """Roles and database of one service; `conn` is the server user's, on any database."""
    owner, app = config.role(service, "owner"), config.role(service, "app")
    name = config.database_name(service)
    await _ensure_role(conn, owner, config.role_password(service, "owner"))
    await _ensure_role(conn, app, config.role_password(service, "app"))
    if not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        await conn.execute(f"GRANT {_ident(owner)} TO CURRENT_USER")
    exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
    if exists and fresh:
        await conn.execute(f"DROP DATABASE {_ident(name)} WITH (FORCE)")
        exists = False
    if exists:
        await conn.execute(f"ALTER DATABASE {_ident(name)} OWNER TO {_ident(owner)}")
    else:
        await conn.execute(f"CREATE DATABASE {_ident(name)} OWNER {_ident(owner)}")
    try:
        # The feed reads other backends' xids from pg_stat_activity.
        await conn.execute(f"GRANT pg_read_all_stats TO {_ident(app)}")
    except asyncpg.InsufficientPrivilegeError:
        print(f"warning: cannot grant pg_read_all_stats to {app}; a superuser must")
    await _grant_in_database(config, service)


# Objects left owned by another role (databases created before the owner roles existed)
# move to the owner, so its migrations can alter them. Extension members stay put.
_TAKE_OWNERSHIP = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN
        SELECT c.oid::regclass AS obj, c.relkind FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner <> {owner_lit}::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO {owner}',
                       CASE WHEN r.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.obj);
    END LOOP;
    FOR r IN
        SELECT p.oid::regprocedure AS obj FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> {owner_lit}::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO {owner}', r.obj);
    END LOOP;
    FOR r IN
        SELECT t.oid::regtype AS obj FROM pg_type t
        WHERE t.typnamespace = 'public'::regnamespace AND t.typtype = 'e'
          AND t.typowner <> {owner_lit}::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                          AND d.objid = t.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO {owner}', r.obj);
    END LOOP;
END $$
"""

# Existing tables (again: databases from before the roles) get what default privileges give
# new ones; the audit tables only INSERT and SELECT.
_GRANT_EXISTING = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
    LOOP
        IF r.relname IN ('audit_log', 'audit_chain') THEN
            EXECUTE format('GRANT SELECT, INSERT ON %I TO {app}', r.relname);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO {app}', r.relname);
        END IF;
    END LOOP;
END $$
"""


async def _grant_in_database(config: RoleConfig, service: str) -> None:
    owner = _ident(config.role(service, "owner"))
    app = _ident(config.role(service, "app"))
    name = _ident(config.database_name(service))
    conn = await asyncpg.connect(config.plain_url(config.database_name(service)))
    try:
        await conn.execute(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")
        await conn.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {name} TO {app}")
        await conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        await conn.execute(f"GRANT USAGE ON SCHEMA public TO {app}")
        await conn.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}"
        )
        await conn.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} GRANT USAGE, SELECT ON SEQUENCES TO {app}"
        )
        owner_lit = _literal(config.role(service, "owner"))
        await conn.execute(_TAKE_OWNERSHIP.format(owner=owner, owner_lit=owner_lit))
        await conn.execute(_GRANT_EXISTING.format(app=app))
        await conn.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}")
    finally:
        await conn.close()


async def drop_roles(conn: asyncpg.Connection, prefix: str) -> None:
    """Drop the roles of databases named `prefix_*` (after the databases are dropped)."""
    names = await conn.fetch(
        "SELECT rolname FROM pg_roles WHERE rolname LIKE $1 "
        "AND (rolname LIKE '%\\_owner' OR rolname LIKE '%\\_app')",
        f"{prefix}\\_%",
    )
    for row in names:
        await conn.execute(f"DROP ROLE IF EXISTS {_ident(row['rolname'])}")
