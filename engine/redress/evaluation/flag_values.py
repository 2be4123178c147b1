"""Flags as plain values: what a result needs to decide and to list them, the words kept aside.

A :class:`FlagRec` has everything of a ``Flag`` but its message, which is kept as a recipe
(``words``: a wording function and its arguments) and written only for a full result or an
explanation.  ``flag()`` gives the ``Flag`` of the result contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msgspec import Struct

from redress.evaluation.deadlines import Flag, FlagReading
from redress.evaluation.frozen import made
from redress.policy.model import Citation


class ReadingRec(Struct, frozen=True, gc=False):
    """One reading of an ambiguity and the dates it gives (``"stage2.respond": "2025-05-22"``)."""

    id: str
    description: str
    default: bool
    dates: Mapping[str, str | None]


class FlagRec(Struct, frozen=True, gc=False):
    id: str
    kind: str
    stage: str | None
    citation: Citation | None
    readings: tuple[ReadingRec, ...]
    words: tuple[Any, ...]   # (function, *arguments) giving the message

    def message(self) -> str:
        text: str = self.words[0](*self.words[1:])
        return text

    def flag(self) -> Flag:
        readings = tuple(made(FlagReading, {"id": r.id, "description": r.description,
                                            "default": r.default, "dates": r.dates})
                         for r in self.readings)
        return made(Flag, {"id": self.id, "kind": self.kind, "message": self.message(),
                           "stage": self.stage, "readings": readings,
                           "citation": self.citation})


def said(text: str) -> str:
    """The words of a flag whose message is already a plain string (a rule's own message)."""
    return text


def flag_rec(id: str, kind: str, words: tuple[Any, ...], stage: str | None = None,
             citation: Citation | None = None,
             readings: tuple[ReadingRec, ...] = ()) -> FlagRec:
    return FlagRec(id, kind, stage, citation, readings, words)


def rule_readings(then: Mapping[str, Any]) -> list[tuple[str, str, bool]]:
    """The readings a ``flags`` rule names for a point the law leaves open: (id, words,
    whether it is the default)."""
    readings = then.get("readings") or {}
    default = then.get("default")
    return [(str(rid), str(text), rid == default) for rid, text in readings.items()]


def unique(flags: list[FlagRec]) -> tuple[FlagRec, ...]:
    """The first flag of each id, in order."""
    seen: dict[str, FlagRec] = {}
    for flag in flags:
        seen.setdefault(flag.id, flag)
    return tuple(seen.values())


__all__ = ["FlagRec", "ReadingRec", "flag_rec", "rule_readings", "said", "unique"]
