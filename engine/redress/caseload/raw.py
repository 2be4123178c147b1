"""One input record before parsing, as every caseload reader yields it."""

from __future__ import annotations

from typing import Any, Literal

from redress.evaluation.records import InputRef
from redress.frozen_dataclass import frozen_dataclass

RawKind = Literal["json", "file", "csv", "document", "problem"]


class InputError(Exception):
    """An input cannot be read at all (as opposed to one bad record in it)."""


@frozen_dataclass
class RawRecord:
    """One input record, not yet parsed.

    ``payload`` is the line's text (``json``), the case file's bytes (``file``), the row as a
    dict (``csv``), an already parsed ``Document`` (``document``) or the findings that make it
    unreadable (``problem``).  ``sha256`` is the digest of the record's bytes in its input (see
    :mod:`redress.caseload.resume`); empty where nothing resumes from it.
    """

    ref: InputRef
    kind: RawKind
    payload: Any
    sha256: str = ""


__all__ = ["InputError", "RawKind", "RawRecord"]
