"""Sealing secrets kept in the store (VectorDB admin keys) with a key kept outside it.

The key lives in `<data_dir>/secrets/sealing.key` (mode 0600). A copy of the store alone
reveals no admin key.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from vectorplane.domain.errors import VectorPlaneError
from vectorplane.secrets.files import write_private


class SealingError(VectorPlaneError):
    """A sealed value could not be opened (wrong or replaced key)."""


class SecretBox:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def load_or_create(cls, path: Path) -> SecretBox:
        if not path.exists():
            write_private(path, Fernet.generate_key())
        return cls(path.read_bytes().strip())

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SealingError("a sealed secret does not match the sealing key") from exc
