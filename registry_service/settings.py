from __future__ import annotations

from pydantic import SecretStr

from services.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    # "kid:base64key,kid:base64key": the first encrypts, all decrypt (so keys can rotate).
    pii_encryption_keys: SecretStr
    # Key of the HMAC blind index used for exact national-id look-ups.
    pii_index_key: SecretStr
    treatment_url: str = "http://127.0.0.1:8002"
    aftercare_url: str = "http://127.0.0.1:8003"
