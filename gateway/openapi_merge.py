"""Merge the gateway's own spec with each service's into the one `/api/openapi.json`."""

from __future__ import annotations

import copy
import json
from typing import Any

REF_PREFIX = "#/components/schemas/"


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                name = value[len(REF_PREFIX) :]
                out[key] = REF_PREFIX + renames.get(name, name)
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def merge_specs(
    gateway_spec: dict[str, Any], services: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Paths of service `s` are prefixed with `/api/s`; a schema name two services define
    differently is prefixed with the service name so neither overrides the other."""
    merged = copy.deepcopy(gateway_spec)
    merged["info"] = {
        "title": "CaiNghien API",
        "version": gateway_spec.get("info", {}).get("version", "0.1.0"),
        "description": "Hệ thống quản lý cai nghiện và sau cai nghiện / "
        "Drug-rehabilitation and after-care case management",
    }
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    paths: dict[str, Any] = merged.setdefault("paths", {})
    for name, spec in sorted(services.items()):
        renames: dict[str, str] = {}
        for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
            existing = schemas.get(schema_name)
            if existing is not None and json.dumps(existing, sort_keys=True) != json.dumps(
                schema, sort_keys=True
            ):
                renames[schema_name] = f"{name.capitalize()}{schema_name}"
        for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[renames.get(schema_name, schema_name)] = _rename_refs(schema, renames)
        for path, item in spec.get("paths", {}).items():
            if path.startswith("/internal") or path in {"/healthz", "/readyz"}:
                continue
            item = _rename_refs(item, renames)
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] = f"{name}_{operation['operationId']}"
                    operation.setdefault("tags", [name])
            paths[f"/api/{name}{path}"] = item
    security = merged["components"].setdefault("securitySchemes", {})
    security.setdefault("HTTPBearer", {"type": "http", "scheme": "bearer"})
    return merged
