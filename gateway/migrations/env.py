from gateway.identity.models import GatewayBase
from services.migrations import run_env

run_env(GatewayBase.metadata)
