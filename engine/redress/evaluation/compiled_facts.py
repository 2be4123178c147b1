"""``facts.flatten`` compiled once per fact catalogue.

``flatten`` looks up every catalogue fact's type and default for every rule firing (hundreds of
calls per case).  Here the catalogue is turned once into the source of one function with the
keys, the set members and the defaults fixed, and that source is compiled.  The result is the
same dict, key for key and in the same order, as ``facts.flatten`` (the reference, compared in
the differential tests).  Names and defaults never become code: keys are written with ``repr``
and defaults are passed in a tuple.

Given the flat keys one rule program tests, the function makes only those keys (a routing
program tests about a tenth of them): the same values, for a backend that reads nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any

from redress.policy.facts_catalog import FactCatalog

Flattener = Callable[[Mapping[str, Any]], dict[str, Any]]


def compile_flatten(catalog: FactCatalog, keys: Collection[str] | None = None) -> Flattener:
    """A function equal to ``lambda values: facts.flatten(values, catalog)``, or, given
    ``keys``, to that dict restricted to ``keys`` (in the same order)."""
    def wanted(key: str) -> bool:
        return keys is None or key in keys

    defaults: list[Any] = []
    lines = ["def flatten(values):", "    get = values.get", "    flat = {}"]
    for name, spec in catalog.facts.items():
        if spec.type == "set":
            members = [(m, k) for m, k in spec.member_keys if wanted(k)]
            if not members:
                continue
        elif not wanted(spec.key):
            continue
        defaults.append(spec.empty_value())
        default = f"E[{len(defaults) - 1}]"
        lines.append(f"    v = get({name!r}, {default})")
        if spec.type == "set":
            lines.append("    m = set(v or ())")
            for member, key in members:
                lines.append(f"    flat[{key!r}] = {member!r} in m")
        elif spec.type == "date":
            lines.append(f"    flat[{spec.key!r}] = v.toordinal() if isinstance(v, date) "
                         "else int(v or 0)")
        elif spec.type == "boolean":
            lines.append(f"    flat[{spec.key!r}] = bool(v)")
        elif spec.type == "number":
            lines.append(f"    flat[{spec.key!r}] = v if isinstance(v, int | float) else {default}")
        else:
            lines.append(f"    flat[{spec.key!r}] = '' if v is None else str(v)")
    lines.append("    return flat")
    namespace: dict[str, Any] = {"E": tuple(defaults), "date": dt.date}
    exec(compile("\n".join(lines), "<redress compiled flatten>", "exec"), namespace)  # noqa: S102 - names are repr()d, values passed in E
    flatten: Flattener = namespace["flatten"]
    return flatten
