"""Every class made with ``@frozen_dataclass`` behaves as ``@dataclass(frozen=True)`` makes it:
compared here, class by class, with the standard decorator applied to the same fields (the
signature, argument errors, repr, equality, hash, immutability, ``dataclasses`` functions and
parameters).  The classes are found, not listed, so a new one is checked too."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import sys
from typing import Any

import pytest

import redress
from redress.frozen_dataclass import frozen_dataclass


def _made_classes() -> list[type]:
    for info in pkgutil.walk_packages(redress.__path__, "redress."):
        if info.name.startswith(("redress.serve", "redress.report", "redress.docs")):
            continue  # optional extras; none of their classes use the decorator
        importlib.import_module(info.name)
    found = {cls for name, module in list(sys.modules.items()) if name.startswith("redress")
             for cls in vars(module).values()
             if isinstance(cls, type) and cls.__module__ == name
             and getattr(getattr(vars(cls).get("__init__"), "__code__", None), "co_filename", "")
             == "<redress frozen dataclass>"}
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


MADE = _made_classes()


def _standard(cls: type) -> Any:
    """The same fields through the standard decorator, under the same names."""
    fields = [(f.name, f.type, dataclasses.field(
        default=f.default, default_factory=f.default_factory,
        repr=f.repr, hash=f.hash, compare=f.compare)) for f in dataclasses.fields(cls)]
    ref = dataclasses.make_dataclass(cls.__name__, fields, frozen=True)
    ref.__qualname__, ref.__module__ = cls.__qualname__, cls.__module__
    return ref


def _error(call: Any) -> str:
    try:
        call()
    except (TypeError, AttributeError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return "no error"


def test_the_result_parts_calendar_and_citations_use_it() -> None:
    names = {c.__qualname__ for c in MADE}
    assert {"Deadline", "Flag", "TraceStep", "Audit", "Routing", "Finding", "Citation",
            "WorkingDaySpan", "Period", "ResultRecord", "ErrorRecord", "InputRef"} <= names


@pytest.mark.parametrize("cls", MADE, ids=lambda c: c.__qualname__)
def test_it_behaves_as_the_standard_frozen_dataclass(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    made: Any = cls  # called with fields the type checker cannot know
    ref = _standard(made)
    assert str(inspect.signature(cls)) == str(inspect.signature(ref))
    assert repr(made.__dataclass_params__) == repr(ref.__dataclass_params__)
    assert made.__match_args__ == ref.__match_args__
    assert [(f.name, f.type, f.default, f.default_factory, f.repr, f.compare, f.hash)
            for f in dataclasses.fields(made)] \
        == [(f.name, f.type, f.default, f.default_factory, f.repr, f.compare, f.hash)
            for f in dataclasses.fields(ref)]
    names = [f.name for f in dataclasses.fields(made)]
    values = {name: f"value of {name}" for name in names}  # each field a distinct value
    ours, theirs = made(**values), ref(**values)
    assert repr(ours) == repr(theirs)
    if all(f.hash is not False for f in dataclasses.fields(made)):  # else unhashable values
        assert hash(ours) == hash(theirs)
    required = {f.name: values[f.name] for f in dataclasses.fields(made)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert dataclasses.asdict(made(**required)) == dataclasses.asdict(ref(**required))
    assert ours == made(*values.values()) and ours != theirs  # never equal across classes
    for name in names:
        other = dataclasses.replace(ours, **{name: object()})
        compared = next(f.compare for f in dataclasses.fields(made) if f.name == name)
        assert (other == ours) is not compared
        assert _error(lambda o=ours, n=name: setattr(o, n, 1)) \
            == _error(lambda t=theirs, n=name: setattr(t, n, 1))
        assert _error(lambda o=ours, n=name: delattr(o, n)) \
            == _error(lambda t=theirs, n=name: delattr(t, n))
    assert _error(lambda: setattr(ours, "unknown", 1)) == _error(lambda: setattr(theirs, "unknown", 1))
    assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)
    if names:
        assert _error(lambda: made()) == _error(lambda: ref())
    assert _error(lambda: made(*values.values(), 1)) == _error(lambda: ref(*values.values(), 1))
    assert _error(lambda: made(**values, unknown=1)) == _error(lambda: ref(**values, unknown=1))


def test_defaults_are_kept_and_only_plain_fields_are_taken() -> None:
    @frozen_dataclass
    class Part:
        name: str
        count: int = 2
        note: str | None = None

    assert Part("a") == Part("a", 2, None) and Part("a").count == 2
    assert Part.__doc__ == "Part(name: 'str', count: 'int' = 2, note: 'str | None' = None)"
    @frozen_dataclass
    class Listed:
        name: str
        items: list[str] = dataclasses.field(default_factory=list)

    first, second = Listed("a"), Listed("b")
    first.items.append("x")
    assert second.items == [] and Listed("c", ["y"]).items == ["y"]
    assert str(inspect.signature(Listed)) == "(name: 'str', items: 'list[str]' = <factory>) -> None"
    with pytest.raises(TypeError, match="plain fields only"):
        @frozen_dataclass
        class Later:
            name: str = dataclasses.field(default="", kw_only=True)
