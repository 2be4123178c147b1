"""Bearer tokens: kept hashed at rest, compared in constant time.

The token file (``redress serve --token-file FILE``) holds one token per line, as its hash, a
role and a name for the logs::

    # made by `redress token new --role admin --name ops` (the token itself is shown once)
    sha256:6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b admin ops
    sha256:d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35 client crm

Tokens are random (``redress token new`` draws 256 bits), so one SHA-256 is enough to keep a
stolen file from being replayed; a slow password hash would add nothing but cost per request.
A presented token is hashed and compared with every entry using ``hmac.compare_digest``, all
of them every time, so the time taken does not say which entry, or how much of one, matched.
Roles: ``client`` may call every endpoint but the admin ones; ``admin`` may call all of them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from redress.errors import RedressError

ROLES = ("client", "admin")
PREFIX = "sha256:"
_LINE = re.compile(r"^sha256:([0-9a-f]{64})\s+(client|admin)(?:\s+([A-Za-z0-9._-]{1,64}))?$")
MAX_TOKEN_FILE_BYTES = 1024 * 1024


class TokenFileError(RedressError):
    """The token file cannot be read or a line of it is not ``sha256:HEX ROLE [NAME]``."""


@dataclass(frozen=True)
class Token:
    """One accepted token: its hash, its role and the name shown in the logs."""

    digest: bytes
    role: str
    name: str

    def may(self, role: str) -> bool:
        """Whether this token has ``role`` (an admin token may do what a client token may)."""
        return self.role == "admin" or role == "client"


def hash_token(token: str) -> str:
    """The line prefix stored for ``token``: ``sha256:`` and the hex digest of its UTF-8."""
    return PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random token (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenSet:
    """The tokens a service accepts."""

    tokens: tuple[Token, ...]

    @classmethod
    def load(cls, path: str | Path) -> TokenSet:
        """Read a token file; raises :class:`TokenFileError` naming the file and line."""
        path = Path(path)
        try:
            with path.open("rb") as handle:
                raw = handle.read(MAX_TOKEN_FILE_BYTES + 1)
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TokenFileError(f"{path}: cannot read the token file: {exc}") from None
        if len(raw) > MAX_TOKEN_FILE_BYTES:
            raise TokenFileError(f"{path}: the token file is larger than "
                                 f"{MAX_TOKEN_FILE_BYTES} bytes")
        tokens = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            match = _LINE.match(line)
            if match is None:
                raise TokenFileError(f"{path}:{number}: expected 'sha256:<64 hex digits> "
                                     "client|admin [name]' (the file holds token hashes, "
                                     "never tokens: see `redress token new`)")
            digest, role, name = match.groups()
            tokens.append(Token(bytes.fromhex(digest), role, name or f"line-{number}"))
        return cls(tuple(tokens))

    def has_role(self, role: str) -> bool:
        """Whether any token has ``role``."""
        return any(t.may(role) for t in self.tokens)

    def check(self, presented: str) -> Token | None:
        """The token matching ``presented``, compared with every entry in constant time."""
        digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found = None
        for token in self.tokens:
            if hmac.compare_digest(digest, token.digest):
                found = token
        return found


__all__ = ["PREFIX", "ROLES", "Token", "TokenFileError", "TokenSet", "hash_token", "new_token"]
