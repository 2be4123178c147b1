"""The encoded results are the bytes they were before the result-building speed work.

``golden/result_bytes.json`` holds SHA-256 digests of what the code of release 1.0.0 wrote for
the varied mix (``varied_cases(3000, seed=2026)``), in chunks of ``CHUNK`` cases: the JSON of
``to_dict(form="lean")``, ``to_dict(form="full")`` and ``to_dict()``, ``explain()``, and the
JSON Lines records of a batch in both forms.  Key order, number formatting and every string
count, so this pins more than the dict equality of the path tests.  Each form is read from a
result of its own and again after the other forms, so a part built lazily for one form cannot
change another.

Regenerate (only for an intended change of output) with
``.venv/bin/python tests/differential/test_result_bytes.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from redress import CaseError
from redress.evaluation.context import parsed_input
from redress.evaluation.evaluate import Engine
from redress.evaluation.records import json_bytes, to_json_bytes
from redress.evaluation.result import Result
from redress.testing.varied import varied_cases

GOLDEN = Path(__file__).parent / "golden" / "result_bytes.json"
CASES, SEED, CHUNK = 3000, 2026, 20
Mix = list[tuple[dict[str, Any], dt.date]]
View = Callable[[Result], bytes]

# Each view reads a fresh result; "after_*" read it after the other forms were built from it.
VIEWS: dict[str, View] = {
    "lean": lambda r: json_bytes(r.to_dict(form="lean")),
    "full": lambda r: json_bytes(r.to_dict(form="full")),
    "default": lambda r: json_bytes(r.to_dict()),
    "explain": lambda r: r.explain().encode("utf-8"),
}


def _after(result: Result) -> bytes:
    explained = result.explain().encode("utf-8")
    full = json_bytes(result.to_dict())
    lean = json_bytes(result.to_dict(form="lean"))
    return b"\0".join((explained, full, lean, json_bytes(result.to_dict(form="lean"))))


def _case_bytes(engine: Engine, mix: Mix, view: View) -> Iterator[bytes]:
    for case, as_of in mix:
        try:
            yield view(engine.evaluate(case, as_of=as_of))
        except CaseError as exc:
            yield str(exc).encode("utf-8")


def _line_bytes(engine: Engine, mix: Mix, form: str) -> Iterator[bytes]:
    items = [parsed_input(case, index) for index, (case, _) in enumerate(mix)]
    for start in range(0, len(items), 256):
        records = engine.evaluate_batch(items[start:start + 256],
                                        [day for _, day in mix[start:start + 256]])
        for record in records:
            yield to_json_bytes(record, form)  # type: ignore[arg-type]


def _chunked(parts: Iterator[bytes]) -> list[str]:
    digests, chunk = [], hashlib.sha256()
    for count, part in enumerate(parts, 1):
        chunk.update(len(part).to_bytes(8, "big") + part)
        if count % CHUNK == 0:
            digests.append(chunk.hexdigest()[:16])
            chunk = hashlib.sha256()
    return digests


def digests(engine: Engine, mix: Mix) -> dict[str, list[str]]:
    out = {name: _chunked(_case_bytes(engine, mix, view)) for name, view in VIEWS.items()}
    out["after_other_forms"] = _chunked(_case_bytes(engine, mix, _after))
    out["batch_lean"] = _chunked(_line_bytes(engine, mix, "lean"))
    out["batch_full"] = _chunked(_line_bytes(engine, mix, "full"))
    return out


@pytest.fixture(scope="module")
def got() -> dict[str, list[str]]:
    return digests(Engine.load(backend="plain"), varied_cases(CASES, seed=SEED))


@pytest.mark.parametrize("name", [*VIEWS, "after_other_forms", "batch_lean", "batch_full"])
def test_the_encoded_results_are_unchanged(got: dict[str, list[str]], name: str) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))["digests"][name]
    assert len(got[name]) == len(expected) == CASES // CHUNK
    differ = [i * CHUNK for i, (a, b) in enumerate(zip(got[name], expected, strict=True))
              if a != b]
    assert differ == [], f"{name}: cases from these positions of the mix differ: {differ[:10]}"


if __name__ == "__main__":
    table = digests(Engine.load(backend="plain"), varied_cases(CASES, seed=SEED))
    GOLDEN.write_text(json.dumps({"cases": CASES, "seed": SEED, "chunk": CHUNK,
                                  "digests": table}, indent=1) + "\n", encoding="utf-8")
