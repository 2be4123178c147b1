"""Parts of a result made in one step.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, one call per
field; a full result makes a few dozen such parts (deadlines, trace steps, flags) every time it
is read.  ``made`` sets all the fields at once.  It is only for the result's own frozen
dataclasses, which have no ``__post_init__`` and no slots (``tests/unit/test_hot_path_parts.py``
checks both, and that an instance made so equals one made by the class).
"""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def made(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the frozen dataclass ``cls`` with ``fields`` (every field given)."""
    instance = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


__all__ = ["made"]
