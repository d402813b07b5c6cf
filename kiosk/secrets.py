"""Secrets from the configuration: files only their owner can read, never from the repository.

The central database's password and the voice box's key come from the environment
(``KIOSK_CENTRAL_PASSWORD``, ``KIOSK_FEEDBACK_KEY``) or from files the configuration names. A
kiosk PC stands in a public hall for years; a secret that every local account can read is refused
at start, with the file and the command that fixes it, rather than used. TLS to PostgreSQL is the
driver's: ``[sync] sslmode`` / ``sslrootcert`` are passed through to libpq.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit


class SecretFileError(Exception):
    """A secret file that is missing, unreadable or readable by every local account."""


SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


def check_private(path: Path, what: str) -> None:
    """Refuse ``path`` if any local account may read or write it (mode ``o+r`` or ``o+w``).

    On Windows the mode bits say nothing of who may read a file (its ACL does): there the file is
    only required to exist; the README says to keep it in the kiosk account's profile.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise SecretFileError(f"{what} {path}: {exc.strerror}") from None
    if os.name == "nt":
        return
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        raise SecretFileError(
            f"{what} {path} can be read by every local account (mode {stat.filemode(mode)}): "
            f"refusing to start; run `chmod 600 {path}`"
        )


def read_secret(path: Path, what: str) -> str:
    """The first line of a private secret file."""
    check_private(path, what)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretFileError(f"{what} {path}: {exc}") from None
    secret = text.strip().splitlines()[0].strip() if text.strip() else ""
    if not secret:
        raise SecretFileError(f"{what} {path} is empty")
    return secret


def has_password(url: str) -> bool:
    try:
        return urlsplit(url).password is not None
    except ValueError:
        return False


def central_url(
    url: str, *, password: str | None = None, sslmode: str | None = None, sslrootcert: str | None = None
) -> str:
    """``url`` with the password and TLS options added (plain ``urllib``: the configuration loads
    without the database layer; the password never goes to a log)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise SecretFileError(f"central_url: {exc}") from None
    if password is not None:
        user = unquote(parts.username or "")
        where = f"[{host}]" if ":" in host else host
        netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{where}" + (f":{port}" if port else "")
        parts = parts._replace(netloc=netloc)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if sslmode is not None:
        if sslmode not in SSLMODES:
            raise SecretFileError(f"sslmode: one of {', '.join(SSLMODES)} expected, got {sslmode!r}")
        query["sslmode"] = sslmode
    if sslrootcert is not None:
        query["sslrootcert"] = sslrootcert
    return urlunsplit(parts._replace(query=urlencode(query)))
