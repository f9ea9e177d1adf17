"""Migrate every service's database: `python -m deploy.migrate` (a Kubernetes Job / compose
one-shot runs this before the services start).

With CN_ADMIN_DATABASE_URL (a superuser, or a user with CREATEROLE and CREATEDB) it first
creates or updates each service's owner and app roles and database (deploy/local/roles.py),
with passwords from CN_<SERVICE>_OWNER_PASSWORD and CN_<SERVICE>_APP_PASSWORD, then migrates
as each owner role. Without it, each service's URL comes from CN_<SERVICE>_DATABASE_URL, e.g.
CN_REGISTRY_DATABASE_URL, which should then be the owner role's.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from deploy.local.stack import SPECS, StackConfig, create_databases, migrate_all
from services.migrations import upgrade


def _with_roles(admin_url: str) -> int:
    passwords = {}
    for name in SPECS:
        for kind in ("owner", "app"):
            variable = f"CN_{name.upper()}_{kind.upper()}_PASSWORD"
            if not os.environ.get(variable):
                print(f"{variable} is not set", file=sys.stderr)
                return 2
            passwords[f"db_{name}_{kind}_password"] = os.environ[variable]
    config = StackConfig(server_url=admin_url, secrets=passwords, data_dir=Path("."))
    asyncio.run(create_databases(config))
    migrate_all(config)
    print("roles, databases and migrations: done")
    return 0


def main() -> int:
    admin_url = os.environ.get("CN_ADMIN_DATABASE_URL")
    if admin_url:
        return _with_roles(admin_url)
    for name, spec in SPECS.items():
        url = os.environ.get(f"CN_{name.upper()}_DATABASE_URL")
        if not url:
            print(f"CN_{name.upper()}_DATABASE_URL is not set", file=sys.stderr)
            return 2
        upgrade(spec.migrations, url)
        print(f"{name}: migrated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
