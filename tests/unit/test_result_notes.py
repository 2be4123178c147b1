"""Notes travel into every result that uses the rule, so they must be about the provision, not
about one worked example: no note in a policy names a particular calendar date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from redress.resources import data_dir

DATE = re.compile(
    r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b")
POLICIES = sorted(data_dir("policies").glob("*.yaml"))


def _notes(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "note" and isinstance(value, str):
                yield where, value
            yield from _notes(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _notes(value, f"{path}[{i}]")


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: Path(p).stem)
def test_no_note_quotes_a_worked_example_s_dates(policy: Path) -> None:
    data = yaml.safe_load(policy.read_text(encoding="utf-8"))
    dated = [(where, found) for where, text in _notes(data)
             for found in DATE.findall(text)]
    assert dated == []
