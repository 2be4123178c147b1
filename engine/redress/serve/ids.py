"""Random ids for requests and decisions, made without building ``uuid.UUID`` objects.

``uuid.uuid4()`` reads 16 random bytes and then spends most of its time in ``UUID.__init__``;
two ids a request (the request id and the decision id) made that way cost more than the rest
of the guard's bookkeeping.  These give exactly the same values a ``uuid4`` would: 122 random
bits from ``os.urandom`` with the version (4) and the RFC 4122 variant bits set.
"""

from __future__ import annotations

import os

# uuid.UUID(version=4) clears and sets these bits of the 128-bit number.
_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_SET = (0x8000 << 48) | (4 << 76)


def uuid4_hex() -> str:
    """A random version-4 UUID as 32 lower-case hex digits (``uuid.uuid4().hex``)."""
    number = (int.from_bytes(os.urandom(16), "big") & _CLEAR) | _SET
    return f"{number:032x}"


def uuid4_text() -> str:
    """A random version-4 UUID in its usual form, ``8-4-4-4-12`` hex digits (``str(uuid4())``)."""
    h = uuid4_hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


__all__ = ["uuid4_hex", "uuid4_text"]
