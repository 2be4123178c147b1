"""A scenario's ``note`` (its hand working) is kept as text and checked to be text."""

from __future__ import annotations

from pathlib import Path

from redress.testing.scenarios import load_scenario_file

SCENARIO = """\
scenarios:
  - name: Stage 1
    as_of: 2026-06-20
    note: {note}
    case: {{id: X, received: 2026-06-01}}
"""


def test_a_scenario_keeps_its_note(tmp_path: Path) -> None:
    path = tmp_path / "x.scenarios.yaml"
    path.write_text(SCENARIO.format(note=">-\n      Day 0 Mon 1 Jun.\n\n      Due Mon 8 Jun."),
                    encoding="utf-8")
    scenarios, findings = load_scenario_file(path)
    assert findings == []
    assert scenarios[0].note == "Day 0 Mon 1 Jun.\nDue Mon 8 Jun."


def test_a_note_that_is_not_text_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.scenarios.yaml"
    path.write_text(SCENARIO.format(note="[1, 2]"), encoding="utf-8")
    scenarios, findings = load_scenario_file(path)
    assert scenarios == []
    assert [f.message for f in findings] == ["scenarios[0].note must be text"]
