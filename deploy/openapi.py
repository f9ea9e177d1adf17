"""Build the merged OpenAPI spec from the code (no running services) into
frontend/openapi.json, from which the SPA's client is generated. `--check` fails when the
committed file is stale."""

from __future__ import annotations

import argparse
import base64
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from pydantic import SecretStr

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "frontend" / "openapi.json"


def build() -> dict[str, Any]:
    from aftercare_service.app import create_app as aftercare
    from gateway.app import create_app as gateway
    from gateway.openapi_merge import merge_specs
    from gateway.settings import GatewaySettings
    from registry_service.app import create_app as registry
    from registry_service.settings import RegistrySettings
    from reporting_service.app import create_app as reporting
    from treatment_service.app import create_app as treatment

    dummy = base64.b64encode(bytes(32)).decode()
    with tempfile.TemporaryDirectory() as tmp:
        gateway_app = gateway(GatewaySettings(data_dir=Path(tmp)))
    services = {
        "registry": registry(
            RegistrySettings(
                pii_encryption_keys=SecretStr(f"k:{dummy}"), pii_index_key=SecretStr(dummy)
            )
        ).openapi(),
        "treatment": treatment().openapi(),
        "aftercare": aftercare().openapi(),
        "reporting": reporting().openapi(),
    }
    return merge_specs(gateway_app.openapi(), services)


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    if args.write:
        TARGET.write_text(text)
        return 0
    if args.check:
        if not TARGET.exists() or TARGET.read_text() != text:
            print("frontend/openapi.json is stale: run `make openapi` and commit", file=sys.stderr)
            return 1
        return 0
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
