"""Report definitions: what a procedure's periodic report must contain, as cited data.

One YAML file per procedure in ``reports/`` (``schemas/report-definition.schema.json``): each
figure names the measure that computes it from results and the provision that requires it.
They are read and checked like policies, so a mistake is a finding at ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from redress.findings import Finding, did_you_mean
from redress.policy.loader import Document, read_document
from redress.policy.model import Citation
from redress.policy.schema import schema_findings
from redress.resources import data_dir

SCHEMA = "report-definition"
SCHEMA_MARK = "report-definition.schema.json"


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    measure: str
    citation: Citation
    stage: str | None = None
    ombudsman: tuple[str, ...] = ()
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class ReportDefinition:
    id: str
    procedure: str
    title: str
    period: str
    year_ends: str | None
    summary: str
    confidence: str
    note: str | None
    citation: Citation
    figures: tuple[Figure, ...]
    file: str


def bundled_definition_files() -> list[Path]:
    folder = data_dir("reports")
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def is_definition_file(path: Path) -> bool:
    """Whether a YAML file's schema comment names the report-definition schema."""
    try:
        with path.open(encoding="utf-8") as fh:
            return SCHEMA_MARK in fh.readline()
    except (OSError, UnicodeDecodeError):
        return False


def load_definitions(files: Iterable[Path] | None = None,
                     procedures: Iterable[str] | None = None,
                     ) -> tuple[list[ReportDefinition], list[Finding]]:
    """The valid definitions among ``files`` (default: the bundled ones) and every finding.

    ``procedures``, when given, are the known procedure ids: a definition for any other is an
    error.
    """
    known = set(procedures) if procedures is not None else None
    definitions: list[ReportDefinition] = []
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    for path in bundled_definition_files() if files is None else files:
        doc, problems = read_document(path)
        findings.extend(problems)
        if doc is None:
            continue
        errors = [doc.locate(f) for f in [*schema_findings(doc.data, SCHEMA),
                                            *_semantic_findings(doc.data, known)]]
        report_id = doc.data.get("id") if isinstance(doc.data, Mapping) else None
        if isinstance(report_id, str) and report_id in seen:
            errors.append(doc.locate(Finding("duplicate-id", f"report {report_id!r} is also "
                                             f"defined in {seen[report_id]}", ("id",))))
        findings.extend(errors)
        if errors:
            continue
        seen[doc.data["id"]] = str(path)
        definitions.append(_definition(doc))
    return definitions, findings


def _semantic_findings(data: Any, known: set[str] | None) -> list[Finding]:
    if not isinstance(data, Mapping):
        return []
    out: list[Finding] = []
    raw_sources = data.get("sources")
    sources: Mapping[str, Any] = raw_sources if isinstance(raw_sources, Mapping) else {}
    procedure = data.get("procedure")
    if known is not None and isinstance(procedure, str) and procedure not in known:
        out.append(Finding("unknown-procedure", f"procedure: no procedure {procedure!r}",
                           ("procedure",), hint=did_you_mean(procedure, sorted(known))))
    places: list[tuple[tuple[Any, ...], Any]] = [(("citation",), data.get("citation"))]
    raw_figures = data.get("figures")
    figures: list[Any] = raw_figures if isinstance(raw_figures, list) else []
    ids: set[str] = set()
    for i, figure in enumerate(figures):
        if not isinstance(figure, Mapping):
            continue
        places.append((("figures", i, "citation"), figure.get("citation")))
        fid = figure.get("id")
        if isinstance(fid, str):
            if fid in ids:
                out.append(Finding("duplicate-id", f"figures[{i}].id: figure {fid!r} is given "
                                   "twice", ("figures", i, "id")))
            ids.add(fid)
    for path, citation in places:
        source = citation.get("source") if isinstance(citation, Mapping) else None
        if isinstance(source, str) and source not in sources:
            out.append(Finding("unknown-source", f"{_dotted(path)}.source: no source {source!r} "
                               "in this file's sources", (*path, "source"),
                               hint=did_you_mean(source, sorted(sources))))
    return out


def _dotted(path: Sequence[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _citation(raw: Mapping[str, Any], sources: Mapping[str, Any]) -> Citation:
    source = sources[raw["source"]]
    return Citation(instrument=str(source["title"]), short=str(source["short"]),
                    provision=str(raw["provision"]),
                    url=str(raw.get("url") or source.get("url") or ""))


def _definition(doc: Document) -> ReportDefinition:
    data, sources = doc.data, doc.data["sources"]
    figures = tuple(Figure(id=f["id"], title=f["title"], measure=f["measure"],
                           citation=_citation(f["citation"], sources), stage=f.get("stage"),
                           ombudsman=tuple(f.get("ombudsman") or ()), source=f.get("source"),
                           note=f.get("note"))
                    for f in data["figures"])
    return ReportDefinition(id=data["id"], procedure=data["procedure"], title=data["title"],
                            period=data["period"], year_ends=data.get("year_ends"),
                            summary=data.get("summary", ""),
                            confidence=data.get("confidence", "unverified"),
                            note=data.get("note"), citation=_citation(data["citation"], sources),
                            figures=figures, file=doc.file)


__all__ = ["Figure", "ReportDefinition", "bundled_definition_files", "is_definition_file",
           "load_definitions"]
