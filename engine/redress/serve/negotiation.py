"""Content negotiation: what a request body may be (415 otherwise) and what the answer can be
(406 when the ``Accept`` header allows none of it).

A request without ``Content-Type`` is read as the endpoint's default (JSON for a case), as
most HTTP tools send none for raw bytes; one that names another type is refused rather than
guessed at.  ``Accept`` is read with its quality values (``q=0`` refuses a type); without it,
anything goes.  Error answers are always JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.requests import Request

from redress.serve.problems import ServiceError


def media_type(value: str) -> str:
    """``application/json`` from ``Application/JSON; charset=utf-8``."""
    return value.partition(";")[0].strip().lower()


def body_format(request: Request, formats: Mapping[str, str], default: str) -> str:
    """The format of the body by its ``Content-Type`` (``formats`` maps media types to it)."""
    given = request.headers.get("content-type")
    if given is None or not given.strip():
        return default
    found = formats.get(media_type(given))
    if found is None:
        raise ServiceError(415, "unsupported_media_type", f"Content-Type {media_type(given)!r} "
                           f"is not taken here; send {', '.join(formats)}")
    return found


def _accepted(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if kind:
            ranges.append((kind.lower(), quality))
    return ranges


def _quality(offered: str, ranges: list[tuple[str, float]]) -> float:
    """The quality of the most specific range that matches ``offered``."""
    major = offered.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for kind, quality in ranges:
        rank = 2 if kind == offered else 1 if kind == f"{major}/*" else \
            0 if kind == "*/*" else -1
        if rank > best[0]:
            best = (rank, quality)
    return best[1]


def negotiate(request: Request, offered: Sequence[str]) -> str:
    """The offered media type the client accepts best; a 406 when it accepts none."""
    header = request.headers.get("accept")
    if header is None or not header.strip():
        return offered[0]
    ranges = _accepted(header)
    scored = [(_quality(kind, ranges), -i, kind) for i, kind in enumerate(offered)]
    quality, _, chosen = max(scored)
    if quality <= 0:
        raise ServiceError(406, "not_acceptable", f"this endpoint answers "
                           f"{', '.join(offered)}; the Accept header allows none of them")
    return chosen


__all__ = ["body_format", "media_type", "negotiate"]
