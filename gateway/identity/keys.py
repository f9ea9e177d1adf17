"""RSA signing keys: the current one signs, the previous one is still published.

Where they come from:
- production: `CN_SIGNING_KEY_PEM` (required: the gateway refuses to start without it) and,
  during a rotation, `CN_PREVIOUS_SIGNING_KEY_PEM`;
- elsewhere: when unset, `<data_dir>/signing-key.pem`, generated on first start, and
  `<data_dir>/signing-key.previous.pem` when present.

Rotation (both keys are in the JWKS, so tokens signed before it stay valid until they expire):
    python -m gateway.identity.keys rotate --data-dir .data/gateway   # files: new key signs
    python -m gateway.identity.keys generate                          # prints a PEM
In production, set CN_PREVIOUS_SIGNING_KEY_PEM to the old key and CN_SIGNING_KEY_PEM to the
output of `generate`, restart the gateway, and drop the previous key once the longest token
lifetime (client or access token) plus the services' JWKS cache age (10 min) has passed.
Services refetch the JWKS when they first see the new key id.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ALGORITHM = "RS256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: str
    public_jwk: dict[str, Any]


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _from_pem(pem: str) -> SigningKey:
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise ValueError("the signing key must be RSA")
    numbers = private.public_key().public_numbers()
    jwk = {"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}
    # RFC 7638 thumbprint as the key id, so the same key always has the same kid.
    kid = (
        base64.urlsafe_b64encode(
            hashlib.sha256(json.dumps(jwk, separators=(",", ":")).encode()).digest()
        )
        .rstrip(b"=")
        .decode()
    )
    return SigningKey(
        kid=kid, private_pem=pem, public_jwk={**jwk, "kid": kid, "use": "sig", "alg": ALGORITHM}
    )


def generate_pem() -> str:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


KEY_FILE = "signing-key.pem"
PREVIOUS_KEY_FILE = "signing-key.previous.pem"


@dataclass(frozen=True)
class KeyRing:
    """The key that signs and every key the JWKS publishes (current first)."""

    current: SigningKey
    previous: SigningKey | None = None

    @property
    def published(self) -> list[SigningKey]:
        return [self.current] + ([self.previous] if self.previous else [])


def load_key_ring(
    pem: str | None, previous_pem: str | None, data_dir: Path, *, production: bool
) -> KeyRing:
    if production and not pem:
        # A key generated on the fly would differ per replica and vanish with the container.
        raise RuntimeError("production requires CN_SIGNING_KEY_PEM (gateway/identity/keys.py)")
    current = load_signing_key(pem, data_dir)
    if previous_pem:
        return KeyRing(current, _from_pem(previous_pem))
    previous_file = data_dir / PREVIOUS_KEY_FILE
    if not pem and previous_file.exists():
        return KeyRing(current, _from_pem(previous_file.read_text()))
    return KeyRing(current)


def rotate_files(data_dir: Path) -> None:
    """The current key file becomes the previous one; a new key signs from the next start."""
    current = data_dir / KEY_FILE
    load_signing_key(None, data_dir)  # make sure there is a current key to demote
    current.replace(data_dir / PREVIOUS_KEY_FILE)
    load_signing_key(None, data_dir)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway.identity.keys")
    commands = parser.add_subparsers(dest="command", required=True)
    rotate = commands.add_parser("rotate", help="demote the current key file, make a new one")
    rotate.add_argument("--data-dir", type=Path, required=True)
    commands.add_parser("generate", help="print a new PEM (for CN_SIGNING_KEY_PEM)")
    args = parser.parse_args(argv)
    if args.command == "rotate":
        rotate_files(args.data_dir)
        ring = load_key_ring(None, None, args.data_dir, production=False)
        previous = ring.previous.kid if ring.previous else None
        print(f"signing with {ring.current.kid}; still published: {previous}")
    else:
        sys.stdout.write(generate_pem())


def load_signing_key(pem: str | None, data_dir: Path) -> SigningKey:
    if pem:
        return _from_pem(pem)
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process generated it first
            return _from_pem(path.read_text())
        with os.fdopen(fd, "w") as handle:
            handle.write(generate_pem())
    return _from_pem(path.read_text())


if __name__ == "__main__":
    main()
