"""The lean result form, defined as a function of the full one.

A lean result keeps every conclusion (procedure, stage, status, each deadline's kind, due date
and state, entitlements, routing, flags, record, audit) and leaves out what can be rebuilt: the
rule trace and the explanatory text of each item (a deadline's ``basis`` and ``note``, a flag's
``message``, a reading's ``description``, an entitlement's ``reason`` and ``note``, the
``status_reason``, the reasons of ``no_procedure``, the Ombudsman and a redirection).  Each
``citation`` object becomes a ``citation_id`` (see ``Citation.id``); a single lean result
carries the table of the ids it uses under ``citations``, and a lean record of a batch carries
none (the whole policy set's table is fetched once: ``redress citations``,
``GET /v1/policy-sets/{hash}``).

``lean_from_full`` is the definition; the compiled path writes the same dict directly from its
plain values (the differential tests check the two agree on every generated case).
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from redress.__about__ import SCHEMA_VERSION
from redress.policy.model import citation_id

Table = MutableMapping[str, Mapping[str, Any]]
DEADLINE_MEMBERS = ("stage", "kind", "title", "due", "anchor", "state", "met_on",
                    "working_days_remaining", "provisional")
PROCEDURE_MEMBERS = ("id", "title", "version", "effective_from", "family", "kind")


def cited(citation: Mapping[str, Any] | None, table: Table) -> str | None:
    """The id of a citation (in full form), noted in ``table``."""
    if citation is None:
        return None
    found = citation_id(citation["instrument"], citation["short"], citation["provision"],
                        citation["url"])
    table[found] = citation
    return found


def _deadline(d: Mapping[str, Any], table: Table) -> dict[str, Any]:
    out = {k: d[k] for k in DEADLINE_MEMBERS}
    out["citation_id"] = cited(d["citation"], table)
    out["flags"] = d["flags"]
    return out


def _flag(f: Mapping[str, Any], table: Table) -> dict[str, Any]:
    return {"id": f["id"], "kind": f["kind"], "stage": f["stage"],
            "readings": [{"id": r["id"], "default": r["default"], "dates": r["dates"]}
                         for r in f["readings"]],
            "citation_id": cited(f["citation"], table)}


def _routing(r: Mapping[str, Any], table: Table) -> dict[str, Any]:
    omb, red = r["ombudsman"], r["redirected_from"]
    return {
        "handled_by": r["handled_by"], "lead_body": r["lead_body"],
        "co_operating_bodies": r["co_operating_bodies"], "next_step": r["next_step"],
        "ombudsman": None if omb is None else {
            "body": omb["body"], "title": omb["title"], "ready": omb["ready"],
            "time_limit": _deadline(omb["time_limit"], table) if omb["time_limit"] else None,
            "citation_id": cited(omb["citation"], table)},
        "redirected_from": None if red is None else {
            "procedure": red["procedure"], "family": red["family"],
            "exclusion": red["exclusion"], "citation_id": cited(red["citation"], table)},
        "partnership": r["partnership"],
    }


def lean_from_full(full: Mapping[str, Any], with_citations: bool = True) -> dict[str, Any]:
    """The lean form of a result given in full form."""
    table: dict[str, Mapping[str, Any]] = {}
    proc, none = full["procedure"], full["no_procedure"]
    out: dict[str, Any] = {
        "form": "lean", "schema_version": SCHEMA_VERSION, "case_id": full["case_id"],
        "procedure": None if proc is None else {
            **{k: proc[k] for k in PROCEDURE_MEMBERS},
            "citation_id": cited(proc["citation"], table)},
        "no_procedure": None if none is None else {
            "why": none["why"], "goes_to": none["goes_to"],
            "citation_id": cited(none["citation"], table)},
        "stage": full["stage"], "status": full["status"], "status_label": full["status_label"],
        "deadlines": [_deadline(d, table) for d in full["deadlines"]],
        "entitlements": [{"id": e["id"], "title": e["title"], "stages": e["stages"],
                          "citation_id": cited(e["citation"], table)}
                         for e in full["entitlements"]],
        "routing": _routing(full["routing"], table),
        "flags": [_flag(f, table) for f in full["flags"]],
        "warnings": full["warnings"], "audit": full["audit"], "record": full["record"],
    }
    if with_citations:
        out["citations"] = dict(sorted(table.items()))
    return out


__all__ = ["DEADLINE_MEMBERS", "PROCEDURE_MEMBERS", "cited", "lean_from_full"]
