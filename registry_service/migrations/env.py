import registry_service.imports.models
import registry_service.movements.models
import registry_service.persons.models
import registry_service.records.models
import registry_service.status.models
import registry_service.units.models  # noqa: F401
from registry_service.base import RegistryBase
from services.migrations import run_env

run_env(RegistryBase.metadata)
