"""The Python API reference, generated with ``inspect`` from the public API's docstrings.

Documents what ``redress.__all__`` lists and, so that a caller can read a ``Result`` field by
field, every dataclass reachable from ``Result``'s fields.  Only members a class defines itself
are shown (not those inherited from ``Exception`` or ``object``).
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import textwrap
import typing
from collections.abc import Iterator
from typing import Any

from redress.docs import markdown as md

_LITERAL_BLOCK = re.compile(r"::\n\n((?:(?: {4}.*)?\n)+)")


def api_page() -> str:
    """The whole API reference page."""
    import redress

    parts = ["# Python API reference",
             "Generated from the docstrings of the public API. " + _doc(redress),
             "```python\nfrom redress import Engine\n\nengine = Engine.load()\nresult = "
             "engine.evaluate(\"examples/EX-2025-0042.yaml\")\nprint(result.explain())\n```"]
    public = [(name, getattr(redress, name)) for name in redress.__all__]
    parts.append("## Public names\n\n" + md.table(
        ["Name", "What it is"], [(f"[`{n}`](#{n.lower().strip('_')})", _summary(obj))
                                 for n, obj in public]))
    from redress import errors

    parts.append("## Exceptions\n\n" + _doc(errors))
    for name, obj in public:
        parts.append(_entry(name, obj, "redress"))
    reached = [c for c in _reachable(redress.Result) if c.__name__ not in redress.__all__]
    if reached:
        parts.append("## Types inside a `Result`\n\nThe values a `Result`'s fields hold. They "
                     "are frozen dataclasses; import them from `redress.evaluation.result`, "
                     "`redress.evaluation.timeline` or `redress.policy.model` only for type annotations.")
        parts.extend(_entry(c.__name__, c, c.__module__, level=3) for c in reached)
    return "\n\n".join(parts) + "\n"


def _doc(obj: Any) -> str:
    """A docstring as Markdown: reST ``code`` and ``::`` literal blocks converted.

    A dataclass without a docstring gets its module's first paragraph instead of the
    generated ``Name(field: type, …)`` text."""
    text = inspect.getdoc(obj) or ""
    if isinstance(obj, type) and text.startswith(f"{obj.__name__}("):
        module = inspect.getmodule(obj)
        text = (inspect.getdoc(module) or "").split("\n\n")[0] if module else ""
    text = re.sub(r":(?:class|func|meth|attr):`~?([^`]+)`", r"`\1`", text).replace("``", "`")
    text = _LITERAL_BLOCK.sub(_fence, text + "\n")
    return re.sub(r"(?m)^:\n", "", text).strip()


def _fence(match: re.Match[str]) -> str:
    """A reST ``::`` literal block as a fenced block (``text::`` keeps one colon)."""
    return ":\n\n```text\n" + textwrap.dedent(match.group(1)).strip("\n") + "\n```\n\n"


def _summary(obj: Any) -> str:
    if isinstance(obj, str):
        return f"the installed version (`{obj}`)"
    return md.cell(_doc(obj).split("\n\n")[0])


def _entry(name: str, obj: Any, module: str, level: int = 2) -> str:
    hashes = "#" * level
    if isinstance(obj, str):
        return f"{hashes} `{name}` {{#{name.lower().strip('_')}}}\n\nThe version string, e.g. `{obj}`."
    kind = "exception" if isinstance(obj, type) and issubclass(obj, BaseException) else (
        "enum" if isinstance(obj, type) and issubclass(obj, enum.Enum) else "class")
    parts = [f"{hashes} `{name}` {{#{name.lower()}}}",
             f"*{kind}* `{module}.{name}{_signature(obj)}`" + _bases(obj), _doc(obj)]
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        parts.append(md.table(["Member", "Value"], [(f"`{m.name}`", f"`{m.value}`") for m in obj]))
    elif dataclasses.is_dataclass(obj):
        parts.append(md.table(["Field", "Type"], [(f"`{f.name}`", f"`{f.type}`")
                                                   for f in dataclasses.fields(obj)]))
    parts.extend(_member(obj, member, value, level + 1) for member, value in _members(obj))
    return "\n\n".join(p for p in parts if p)


def _signature(obj: Any) -> str:
    if isinstance(obj, type) and (issubclass(obj, enum.Enum) or dataclasses.is_dataclass(obj)):
        return ""
    try:
        return _format(inspect.signature(obj))
    except (TypeError, ValueError):
        return ""


def _format(sig: inspect.Signature) -> str:
    """A signature with its (string) annotations shown unquoted."""
    params = []
    for param in sig.parameters.values():
        text = ("*" if param.kind is param.VAR_POSITIONAL else
                "**" if param.kind is param.VAR_KEYWORD else "") + param.name
        if param.annotation is not param.empty:
            text += f": {_type_name(param.annotation)}"
        if param.default is not param.empty:
            text += f" = {param.default!r}"
        params.append(text)
    returns = "" if sig.return_annotation in (sig.empty, None, "None") \
        else f" -> {_type_name(sig.return_annotation)}"
    return f"({', '.join(params)}){returns}"


def _bases(obj: Any) -> str:
    if not isinstance(obj, type):
        return ""
    bases = [b for b in obj.__bases__ if b is not object and not b.__name__.startswith("_")]
    inherited = [b for b in obj.__mro__[1:] if b.__module__.startswith("redress")
                 and not b.__name__.startswith("_") and b not in bases]
    shown = bases or inherited[:1]
    return f" — a subclass of {', '.join(f'`{b.__name__}`' for b in shown)}" if shown else ""


def _members(cls: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(cls, type) or issubclass(cls, enum.Enum):
        return
    # Members inherited from a Redress base class are shown too (the public Engine adds
    # ``report`` to evaluation's engine); the most derived definition wins, in base order.
    members: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("redress"):
            members.update(vars(klass))
    for name, value in members.items():
        if name.startswith("_"):
            continue
        if isinstance(value, property | classmethod | staticmethod) or inspect.isfunction(value):
            yield name, value


def _member(cls: Any, name: str, value: Any, level: int) -> str:
    hashes = "#" * level
    if isinstance(value, property):
        returns = typing.get_type_hints(value.fget).get("return") if value.fget else None
        kind, sig = "property", f" → {_type_name(returns)}" if returns else ""
        doc = _doc(value.fget)
    else:
        func = value.__func__ if isinstance(value, classmethod | staticmethod) else value
        kind = "classmethod" if isinstance(value, classmethod) else "method"
        sig, doc = _method_signature(func, isinstance(value, classmethod)), _doc(func)
    return f"{hashes} `{cls.__name__}.{name}` {{#{cls.__name__.lower()}-{name}}}\n\n" \
           f"*{kind}* `{name}{sig}`\n\n{doc}".rstrip()


def _method_signature(func: Any, bound: bool) -> str:
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    return _format(sig.replace(parameters=params))


def _type_name(value: Any) -> str:
    if isinstance(value, str):
        return value
    return getattr(value, "__name__", None) or str(value).replace("typing.", "")


def _reachable(root: type) -> list[type]:
    """Dataclasses reachable from ``root``'s fields, in first-seen order."""
    seen: list[type] = []
    todo: list[type] = [root]
    while todo:
        cls = todo.pop(0)
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            for found in _classes_in(hints.get(field.name)):
                if found is not root and found not in seen:
                    seen.append(found)
                    todo.append(found)
    return seen


def _classes_in(hint: Any) -> Iterator[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        yield hint
    for arg in typing.get_args(hint):
        yield from _classes_in(arg)
