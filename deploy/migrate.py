"""Migrate every service's database: `python -m deploy.migrate` (a Kubernetes Job / compose
one-shot runs this before the services start). Each service's URL comes from
CN_<SERVICE>_DATABASE_URL, e.g. CN_REGISTRY_DATABASE_URL."""

from __future__ import annotations

import os
import sys

from deploy.local.stack import SPECS
from services.migrations import upgrade


def main() -> int:
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
