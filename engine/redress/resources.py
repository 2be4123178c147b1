"""Where the bundled policies, rules and schemas live.

They sit at the repository root and reach the package through symlinks in ``redress/data``; the
wheel build follows the links, so the same lookup works installed from a wheel and in an
editable checkout.  The package is always a folder on disk (the paths are handed to code that
opens files), so the folder is found from this module's own path: ``importlib.resources`` would
cost every start of the command line a few milliseconds of imports for nothing.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parent


def data_dir(kind: str) -> Path:
    """The bundled ``policies``, ``rules``, ``schemas``, ``reports`` or ``examples`` folder."""
    if kind not in ("policies", "rules", "schemas", "reports", "examples"):
        raise ValueError(f"unknown data folder {kind!r}")
    return PACKAGE / "data" / kind


def schema_path(name: str) -> Path:
    """The path of a bundled JSON Schema, e.g. ``schema_path("policy")``."""
    return data_dir("schemas") / f"{name}.schema.json"
