"""Sealing a visitor's name and contact at rest, and keying the PIN hash (S13).

The key comes from the configuration (a key file or ``KIOSK_FEEDBACK_KEY``), never from a
database: a copy of the SQLite file or of the central tables holds only ciphertext. Every node of a
facility must use the same key, or a note sealed offline on one kiosk cannot be read at another.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class SealingKeyError(ValueError):
    """The configured key is missing or malformed (the message says which file or variable)."""


def load_or_create_key(path: Path) -> bytes:
    """The key in ``path``; a new one (file mode 0600) if the file does not exist yet."""
    if path.exists():
        key = path.read_bytes().strip()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Fernet.generate_key()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key + b"\n")
    return key


class Sealer:
    """Encrypts and decrypts personal data; hashes PINs with a key only the configuration holds."""

    def __init__(self, key: bytes | str) -> None:
        raw = key.encode() if isinstance(key, str) else key
        try:
            self._fernet = Fernet(raw.strip())
        except (ValueError, TypeError):
            raise SealingKeyError(
                "feedback key: 32 url-safe base64-encoded bytes expected (Fernet.generate_key())"
            ) from None
        self._pepper = hashlib.sha256(b"kiosk-pin:" + raw.strip()).digest()

    def seal(self, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def open(self, token: str | None) -> str | None:
        """The plain value, or ``None`` (nothing stored, or sealed with another key)."""
        if not token:
            return None
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            return None

    def pin_hash(self, receipt: str, pin: str) -> str:
        return hmac.new(self._pepper, f"{receipt}:{pin}".encode(), hashlib.sha256).hexdigest()

    def pin_matches(self, receipt: str, pin: str, stored: str) -> bool:
        return hmac.compare_digest(self.pin_hash(receipt, pin), stored)


def mask_contact(contact: str) -> str:
    """``010-****-5678`` / ``k***@example.com``: enough for staff to recognise, not to use."""
    if "@" in contact:
        local, _, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = [c for c in contact if c.isdigit()]
    if len(digits) < 8:
        return "***"
    return f"{''.join(digits[:3])}-****-{''.join(digits[-4:])}"


def mask_name(name: str) -> str:
    """``김*연`` / ``K***``: a name on a shared screen, recognisable only to its owner."""
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
