"""The schema files as OpenAPI components: every object schema named, at the top level.

OpenAPI 3.1 schema objects are JSON Schema 2020-12, so the case, result, record and service
schema files are used as they are, with four changes that code generators need:

* every object schema (a file's root, each ``$defs`` entry, each nested object) becomes a
  component of its own, named (:data:`NAMES`), so no generator has to invent a name or follow a
  reference into another component's ``$defs``;
* identical copies (the citation appears in several places) become one component;
* a nullable object (``"type": ["object", "null"]``) becomes an object component, and each place
  that uses it says ``oneOf: [component, null]``;
* an enumeration of an output (result, record, service) is open: its known values are a
  component, and a member takes one of them or any other string (:mod:`.enumerations`), so a
  client generated now reads a value a later 1.x adds.  The case's enumerations stay closed.

Names avoid the built-in types of the languages clients are generated in (``Record`` is a
TypeScript utility type, ``Error``, ``Case`` and ``Version`` collide in C# and Java), which a
test checks.  Nothing else changes, so there is no second copy of a schema to drift from the
files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from redress.resources import schema_path
from redress.serve.enumerations import open_enumerations

SCHEMA_FILES = ("case", "result", "record", "service")
INPUT_FILES = ("case",)  # their enumerations stay closed; the outputs' are opened
PREFIX = "#/components/schemas/"

# The name of each object schema by its place: (file, JSON pointer).  A nested object missing
# here is named after its parent and member (``EvaluationResultSomething``): add it here.
NAMES: dict[tuple[str, str], str] = {
    ("case", ""): "ComplaintCase",
    ("case", "/properties/complainant"): "Complainant",
    ("case", "/properties/subject"): "PersonConcerned",
    ("case", "/properties/organisations/items"): "Organisation",
    ("case", "/properties/matter"): "ComplaintMatter",
    ("case", "/properties/events/items"): "CaseEvent",
    ("case", "/properties/decision"): "CaseDecision",
    ("case", "/properties/remedies/items"): "CaseRemedy",
    ("case", "/properties/ombudsman"): "CaseOmbudsmanDecision",
    ("case", "/properties/costs/items"): "CaseCost",
    ("result", ""): "EvaluationResult",
    ("result", "/$defs/citation"): "Citation",
    ("result", "/$defs/deadline"): "Deadline",
    ("result", "/$defs/deadline/properties/anchor"): "DeadlineAnchor",
    ("result", "/$defs/flag"): "Flag",
    ("result", "/$defs/flag/properties/readings/items"): "FlagReading",
    ("result", "/$defs/remedy"): "Remedy",
    ("result", "/properties/procedure"): "ProcedureApplied",
    ("result", "/properties/no_procedure"): "NoProcedure",
    ("result", "/properties/entitlements/items"): "Entitlement",
    ("result", "/properties/routing"): "Routing",
    ("result", "/properties/routing/properties/ombudsman"): "OmbudsmanRoute",
    ("result", "/properties/trace/items"): "TraceStep",
    ("result", "/properties/audit"): "Audit",
    ("result", "/properties/record"): "CaseRecord",
    ("result", "/properties/record/properties/stages/items"): "CaseRecordStage",
    ("result", "/properties/record/properties/ombudsman"): "CaseRecordOmbudsman",
    ("result", "/properties/record/properties/costs/items"): "CaseRecordCost",
    ("result", "/properties/input"): "InputSource",
    ("record", ""): "EvaluationRecord",
    ("record", "/$defs/result_record"): "ResultRecord",
    ("record", "/$defs/error_record"): "ErrorRecord",
    ("record", "/$defs/error_record/properties/error"): "RecordError",
    ("record", "/$defs/problem"): "Problem",
    ("service", "/$defs/error"): "ErrorResponse",
    ("service", "/$defs/error/properties/error"): "ErrorDetail",
    ("service", "/$defs/explained_result"): "ExplainedResult",
    ("service", "/$defs/procedure_summary"): "ProcedureSummary",
    ("service", "/$defs/procedure_summary/properties/versions/items"): "PolicyVersionSummary",
    ("service", "/$defs/procedure_list"): "ProcedureList",
    ("service", "/$defs/procedure"): "ProcedureInForce",
    ("service", "/$defs/procedure/properties/stages/items"): "ProcedureStage",
    ("service", "/$defs/procedure/properties/stages/items/properties/deadlines/items"):
        "ProcedureDeadline",
    ("service", "/$defs/period"): "Period",
    ("service", "/$defs/limb"): "TimeLimitLimb",
    ("service", "/$defs/time_limit"): "TimeLimit",
    ("service", "/$defs/window"): "StageWindow",
    ("service", "/$defs/policy_version"): "PolicyVersion",
    ("service", "/$defs/receipt"): "ReceiptRule",
    ("service", "/$defs/route"): "ProcedureRoute",
    ("service", "/$defs/exclusion"): "Exclusion",
    ("service", "/$defs/deferral"): "Deferral",
    ("service", "/$defs/reading"): "AmbiguityReading",
    ("service", "/$defs/ambiguity"): "Ambiguity",
    ("service", "/$defs/policy_set"): "PolicySet",
    ("service", "/$defs/policy_set_file"): "PolicySetFile",
    ("service", "/$defs/procedure/properties/entitlements/items"): "ProcedureEntitlement",
    ("service", "/$defs/calendar_add"): "WorkingDaysAdded",
    ("service", "/$defs/calendar_add/properties/skipped/items"): "SkippedDay",
    ("service", "/$defs/calendar_between"): "WorkingDaysBetween",
    ("service", "/$defs/calendar_between/properties/skipped/items"): "SkippedDay",
    ("service", "/$defs/lint_report"): "LintReport",
    ("service", "/$defs/lint_report/properties/findings/items"): "LintFinding",
    ("service", "/$defs/health"): "Health",
    ("service", "/$defs/version"): "ServiceVersion",
}

# Built-in or reserved type names in TypeScript, Python, C#, Java, Kotlin and Go that a
# component must not take (generators rename or shadow them: `Record1`, `ModelCase`).
RESERVED = frozenset({
    "Array", "Boolean", "Case", "Date", "Error", "Exception", "File", "Function", "Integer",
    "List", "Map", "Number", "Object", "Omit", "Partial", "Pick", "Promise", "Record", "Result",
    "Set", "String", "Type", "Version", "Void", "Dictionary", "Optional", "Any", "Long",
    "Double", "Float", "Byte", "Char", "Short", "Class", "Enum", "Interface", "Response",
    "Request", "Client", "Configuration",
})


@cache
def schema_file(name: str) -> dict[str, Any]:
    """A bundled schema file, parsed (cached: the files do not change while the service runs)."""
    data: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return data


Place = tuple[str, str]  # (schema file, JSON pointer inside it)


@dataclass
class _Hoisting:
    """The components found so far, by name, and the name of every hoisted place."""

    components: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[Place, str] = field(default_factory=dict)
    nullable: set[str] = field(default_factory=set)
    same: dict[str, str] = field(default_factory=dict)  # a named schema's JSON → its name


def _shape(node: Any) -> str:
    return json.dumps(node, sort_keys=True)


def _named_shapes() -> dict[str, str]:
    """The named schemas by their JSON, so that a copy of one takes its name."""
    return {_shape(_node_at(place)): name for place, name in NAMES.items()
            if place[0] in SCHEMA_FILES}


def components() -> dict[str, dict[str, Any]]:
    """Every component of the schema files, by name."""
    hoisting = _Hoisting(same=_named_shapes())
    targets = set(_reference_targets())
    for file in SCHEMA_FILES:
        _name_places(file, schema_file(file), "", None, hoisting, targets)
    for place in list(hoisting.names):
        _add_component(place, hoisting)
    inputs = {name for (file, _), name in hoisting.names.items() if file in INPUT_FILES}
    return dict(sorted(open_enumerations(hoisting.components,
                                         set(hoisting.components) - inputs).items()))


def _reference_targets() -> Iterator[Place]:
    for file in SCHEMA_FILES:
        for ref in values_at(schema_file(file), "$ref"):
            if isinstance(ref, str):
                yield _place(ref, file)


def values_at(node: Any, name: str) -> Iterator[Any]:
    """Every value of a member called ``name`` anywhere in JSON ``node`` (not inside one)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name:
                yield value
            else:
                yield from values_at(value, name)
    elif isinstance(node, list):
        for item in node:
            yield from values_at(item, name)


def _place(ref: str, owner: str) -> Place:
    """``#/$defs/x`` inside ``owner``; ``result.schema.json#/y`` inside the result file."""
    file, _, pointer = ref.partition("#")
    if file:
        stem = file.rsplit("/", 1)[-1].removesuffix(".schema.json")
        if stem not in SCHEMA_FILES:
            raise ValueError(f"schema reference {ref!r} leaves the bundled schema files")
        owner = stem
    return owner, pointer


def _hoisted(node: Any, place: Place, targets: set[Place]) -> bool:
    """Whether the schema at ``place`` becomes a component of its own."""
    if not isinstance(node, dict) or ("$ref" in node and "properties" not in node):
        return False  # a reference is not a schema of its own: it names its target
    file, pointer = place
    types = node.get("type")
    shaped = "properties" in node or any(k in node for k in ("oneOf", "anyOf", "allOf")) \
        or types == "object" or (isinstance(types, list) and "object" in types)
    return (pointer == "" and file != "service") or "properties" in node \
        or (shaped and (place in targets
                        or (pointer.startswith("/$defs/") and pointer.count("/") == 2)))


# Subschemas that only constrain (if/then, allOf branches…) stay where they are.
_CONSTRAINTS = frozenset({"if", "then", "else", "not", "allOf", "dependentSchemas",
                          "propertyNames", "contains"})


def _name_places(file: str, node: Any, pointer: str, parent: str | None, hoisting: _Hoisting,
                 targets: set[Place], constraint: bool = False) -> None:
    place = (file, pointer)
    if not constraint and _hoisted(node, place, targets):
        parent = hoisting.names.setdefault(place, NAMES.get(place)
                                           or hoisting.same.get(_shape(node))
                                           or _fallback(pointer, parent))
        types = node.get("type")
        if isinstance(types, list) and "null" in types:
            hoisting.nullable.add(parent)
    if isinstance(node, dict):
        for key, value in node.items():
            inner = constraint or (key in _CONSTRAINTS and not pointer.endswith("/properties"))
            _name_places(file, value, f"{pointer}/{_escape(key)}", parent, hoisting, targets,
                         inner)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _name_places(file, item, f"{pointer}/{index}", parent, hoisting, targets,
                         constraint)


def _fallback(pointer: str, parent: str | None) -> str:
    words = [w for w in pointer.split("/") if w and w not in ("properties", "items", "$defs")]
    last = "".join(part.capitalize() for part in re.split(r"[_\-]", words[-1] if words else ""))
    return f"{parent or ''}{last}" or "Schema"


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _node_at(place: Place) -> Any:
    file, pointer = place
    node: Any = schema_file(file)
    for part in filter(None, pointer.split("/")):
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _add_component(place: Place, hoisting: _Hoisting) -> None:
    name = hoisting.names[place]
    node = dict(_node_at(place))
    types = node.get("type")
    if isinstance(types, list) and "null" in types:  # null is said where it is used
        rest = [t for t in types if t != "null"]
        node["type"] = rest[0] if len(rest) == 1 else rest
    body = _free_form(_titled(_rewrite(node, place, hoisting, top=True), name))
    known = hoisting.components.get(name)
    if known is not None and known != body:
        raise ValueError(f"two different schemas want the component name {name!r}")
    hoisting.components[name] = body


def _rewrite(node: Any, place: Place, hoisting: _Hoisting, top: bool = False) -> Any:
    """``node`` with nested components replaced by references and references rewritten."""
    if not top and place in hoisting.names:
        return _use(hoisting.names[place], hoisting)
    if isinstance(node, list):
        return [_rewrite(item, (place[0], f"{place[1]}/{i}"), hoisting)
                for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if (key in ("$id", "$schema") and isinstance(value, str)) or \
                (key == "$defs" and place[1] == ""):  # the definitions are components now
            continue
        if key == "$ref" and isinstance(value, str):
            out.update(_follow(_place(value, place[0]), hoisting))
        else:
            out[key] = _rewrite(value, (place[0], f"{place[1]}/{_escape(key)}"), hoisting)
    return out


def _free_form(node: Any) -> Any:
    """Objects with no listed members say they take any (``additionalProperties: true``):
    generators read a bare ``type: object`` as an object that may hold nothing."""
    if isinstance(node, list):
        return [_free_form(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: (value if key in _VALUES else _free_form(value)) for key, value in node.items()}
    types = out.get("type")
    is_object = types == "object" or (isinstance(types, list) and "object" in types)
    if is_object and "properties" not in out and "additionalProperties" not in out:
        out["additionalProperties"] = True
    return out


def _titled(body: dict[str, Any], name: str) -> dict[str, Any]:
    """The component titled with its own name: generators name classes after titles, so a
    nested ``title`` ("Kind", "Error") would give clashing classes; the words stay in the
    description."""
    words = body.get("title")
    body = _untitled(body)
    if words and not body.get("description"):
        body["description"] = str(words)
    return {"title": name, **body}


_VALUES = frozenset({"examples", "example", "default", "const", "enum"})  # data, not schemas


def _untitled(node: Any) -> Any:
    if isinstance(node, list):
        return [_untitled(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: (value if key in _VALUES else _untitled(value))
            for key, value in node.items() if not (key == "title" and isinstance(value, str))}


def _follow(place: Place, hoisting: _Hoisting) -> dict[str, Any]:
    """What a reference becomes: a reference to the component it lands on (through
    definitions that only refer on), or the small schema it names, in place."""
    while place not in hoisting.names:
        node = _node_at(place)
        if not (isinstance(node, dict) and "$ref" in node):
            inlined: dict[str, Any] = _rewrite(node, place, hoisting, top=True)
            return inlined
        place = _place(node["$ref"], place[0])
    return _use(hoisting.names[place], hoisting)


def _use(name: str, hoisting: _Hoisting) -> dict[str, Any]:
    """A reference to component ``name`` (``oneOf`` with null where it may be null)."""
    ref = {"$ref": PREFIX + name}
    if name in hoisting.nullable:
        return {"oneOf": [ref, {"type": "null"}]}
    return ref


__all__ = ["NAMES", "RESERVED", "SCHEMA_FILES", "components", "schema_file", "values_at"]
