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
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from redress.policy.compiled_conditions import Firing, firing_lines
from redress.policy.conditions import Condition, leaves
from redress.policy.facts_catalog import FactCatalog

Flattener = Callable[[Mapping[str, Any]], dict[str, Any]]


def _flatten_lines(catalog: FactCatalog, keys: Collection[str] | None,
                   store: Callable[[str], str], defaults: list[Any]) -> list[str]:
    """Lines that read the named ``values`` (through ``get``) and store each flat key's value
    where ``store`` says; the defaults go to ``defaults`` (``E``)."""
    def wanted(key: str) -> bool:
        return keys is None or key in keys

    lines = []
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
            lines.extend(f"    {store(key)} = {member!r} in m" for member, key in members)
        elif spec.type == "date":
            lines.append(f"    {store(spec.key)} = v.toordinal() if isinstance(v, date) "
                         "else int(v or 0)")
        elif spec.type == "boolean":
            lines.append(f"    {store(spec.key)} = bool(v)")
        elif spec.type == "number":
            lines.append(f"    {store(spec.key)} = v if isinstance(v, int | float) else {default}")
        else:
            lines.append(f"    {store(spec.key)} = '' if v is None else str(v)")
    return lines


def compile_flatten(catalog: FactCatalog, keys: Collection[str] | None = None) -> Flattener:
    """A function equal to ``lambda values: facts.flatten(values, catalog)``, or, given
    ``keys``, to that dict restricted to ``keys`` (in the same order)."""
    defaults: list[Any] = []
    lines = ["def flatten(values):", "    get = values.get", "    flat = {}",
             *_flatten_lines(catalog, keys, lambda key: f"flat[{key!r}]", defaults),
             "    return flat"]
    namespace: dict[str, Any] = {"E": tuple(defaults), "date": dt.date}
    exec(compile("\n".join(lines), "<redress compiled flatten>", "exec"), namespace)  # noqa: S102 - names are repr()d, values passed in E
    flatten: Flattener = namespace["flatten"]
    return flatten


def compile_direct(catalog: FactCatalog, rules: Sequence[tuple[str, Condition]]) -> Firing | None:
    """One function from the named facts straight to the ids of the rules that hold: the
    flattener's values kept in local variables (``x0``, ``x1``…) instead of a dict, then the
    conditions (``compiled_conditions``).  Equal to ``fire(flatten(values))`` of the plain
    backend; None when a condition tests a key the catalogue does not make (then that pair is
    used)."""
    tested = {leaf.key for _id, cond in rules for leaf in leaves(cond)}
    local: dict[str, str] = {}

    def store(key: str) -> str:
        return local.setdefault(key, f"x{len(local)}")

    defaults: list[Any] = []
    body = _flatten_lines(catalog, tested, store, defaults)
    if tested - local.keys():
        return None
    constants: list[Any] = []
    lines = ["def fire(values):", "    get = values.get", *body,
             *firing_lines(rules, constants, local.__getitem__)]
    namespace: dict[str, Any] = {"E": tuple(defaults), "date": dt.date, "C": tuple(constants),
                                 "I": tuple(rule_id for rule_id, _ in rules)}
    exec(compile("\n".join(lines), "<redress compiled firing>", "exec"), namespace)  # noqa: S102 - names are repr()d, values passed in E and C
    fire: Firing = namespace["fire"]
    return fire
