"""Salted password hashes for the mocks' accounts.

The mocks never keep a password in clear, so a state dump (or a repr in a
failing test) cannot leak one. PBKDF2 from the standard library; the iteration
count is low on purpose: these are test accounts, and every scenario logs in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Final

_ITERATIONS: Final = 2_000


@dataclass(frozen=True)
class PasswordHash:
    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, password: str) -> PasswordHash:
        salt = secrets.token_bytes(16)
        return cls(salt=salt, digest=_pbkdf2(password, salt))

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(self.digest, _pbkdf2(password, self.salt))

    def __repr__(self) -> str:
        return "PasswordHash(…)"


def _pbkdf2(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _ITERATIONS)
