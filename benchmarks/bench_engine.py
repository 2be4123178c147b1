"""Single-case evaluation throughput, durable-rules backend against the plain-Python baseline.

2,000 synthetic cases (redress.testing.generate, fixed seed) spread over the bundled procedures
are evaluated one at a time through ``Engine.evaluate`` — validation, routing, timeline, rules,
result — with each rule backend, in the same run.  Both backends must give identical results.
"""

from __future__ import annotations

from harness import Report, Row, best_of
from redress import CaseError, Engine
from redress.testing.generate import as_of_for, random_cases

TITLE = "Engine.evaluate: cases per second, durable-rules vs plain-Python rule backend"
CASES = 2_000


def _evaluate_all(engine: Engine, cases: list[dict[str, object]]) -> list[object]:
    out: list[object] = []
    for case in cases:
        try:
            data = engine.evaluate(case, as_of=as_of_for(case)).to_dict()  # type: ignore[arg-type]
            data["audit"].pop("backend")
            out.append(data)
        except CaseError as exc:
            out.append(str(exc))
    return out


def run() -> Report:
    cases = random_cases(CASES, seed=11)
    report = Report(TITLE)
    results = {}
    for backend in ("plain", "durable"):
        engine = Engine.load(backend=backend)
        _evaluate_all(engine, cases[:50])  # warm caches (policy versions, compiled rulesets)
        seconds, results[backend] = best_of(3, lambda e=engine: _evaluate_all(e, cases))
        report.rows.append(Row(f"Engine.evaluate, {backend} backend", seconds, CASES))
        engine.close()
    plain, durable = report.rows
    report.ok = results["plain"] == results["durable"]
    report.notes.append(f"durable-rules: {CASES / durable.seconds:,.0f} cases/s; "
                        f"plain baseline: {CASES / plain.seconds:,.0f} cases/s; "
                        f"durable takes {durable.seconds / plain.seconds:.2f}× the baseline's time")
    report.notes.append("identical results from both backends: "
                        + ("yes" if report.ok else "NO"))
    return report
