"""Where the bundled policies, rules and schemas live.

They sit at the repository root and reach the package through symlinks in ``redress/data``; the
wheel build follows the links, so the same ``importlib.resources`` lookup works installed from a
wheel and in an editable checkout.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir(kind: str) -> Path:
    """The bundled ``policies``, ``rules``, ``schemas``, ``reports`` or ``examples`` folder."""
    if kind not in ("policies", "rules", "schemas", "reports", "examples"):
        raise ValueError(f"unknown data folder {kind!r}")
    return Path(str(files("redress").joinpath("data", kind)))


def schema_path(name: str) -> Path:
    """The path of a bundled JSON Schema, e.g. ``schema_path("policy")``."""
    return data_dir("schemas") / f"{name}.schema.json"
