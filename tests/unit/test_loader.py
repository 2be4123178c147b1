"""The strict YAML loader: positions for every value, and refusals as findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redress.errors import PolicyError
from redress.findings import SourcePos
from redress.policy import loader
from redress.policy.loader import document_from_data, load_document, parse_text, read_document


def only_finding(text: str) -> tuple[str, str, SourcePos | None]:
    doc, findings = parse_text(text, "t.yaml")
    assert doc is None
    assert len(findings) == 1
    return findings[0].check_id, findings[0].message, findings[0].pos


def test_a_value_is_positioned_at_its_key() -> None:
    doc, findings = parse_text("stages:\n  stage1:\n    title: Local\n", "t.yaml")
    assert findings == []
    assert doc is not None
    assert doc.pos(("stages", "stage1", "title")) == SourcePos(3, 5)


def test_a_missing_path_is_positioned_at_its_nearest_ancestor() -> None:
    doc, _ = parse_text("stages:\n  stage1:\n    title: Local\n", "t.yaml")
    assert doc is not None
    assert doc.pos(("stages", "stage1", "deadlines", "respond")) == SourcePos(2, 3)


def test_list_items_have_positions() -> None:
    doc, _ = parse_text("bodies: [local_authority, school]\n", "t.yaml")
    assert doc is not None
    assert doc.pos(("bodies", 1)) == SourcePos(1, 27)


def test_a_duplicate_key_is_refused_naming_the_first_line() -> None:
    check, message, pos = only_finding("id: a\ntitle: One\ntitle: Two\n")
    assert check == "yaml-duplicate-key"
    assert message == "duplicate key 'title' (first defined on line 2)"
    assert pos == SourcePos(3, 1)


@pytest.mark.parametrize(("text", "check"), [
    ("a: &x 1\nb: *x\n", "yaml-alias"),
    ("a: {b: 1}\nc:\n  <<: {d: 2}\n", "yaml-merge-key"),
    ("a: !!python/object/apply:os.system [ls]\n", "yaml-tag"),
    ("1: one\n", "yaml-key-type"),
    ("a: [unclosed\n", "yaml-syntax"),
])
def test_unsafe_or_broken_yaml_is_refused(text: str, check: str) -> None:
    assert only_finding(text)[0] == check


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "TRUE"])
def test_only_lower_case_true_and_false_are_booleans(word: str) -> None:
    doc, _ = parse_text(f"ready: {word}\n")
    assert doc is not None
    assert doc.data == {"ready": word}


def test_true_and_false_are_booleans() -> None:
    doc, _ = parse_text("a: true\nb: false\n")
    assert doc is not None
    assert doc.data == {"a": True, "b": False}


def test_dates_stay_text_even_when_they_are_not_real() -> None:
    doc, _ = parse_text("from: 2025-03-03\nbad: 2024-02-30\n")
    assert doc is not None
    assert doc.data == {"from": "2025-03-03", "bad": "2024-02-30"}


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * 200 + "\n")
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    doc, findings = read_document(path)
    assert doc is None
    assert [f.check_id for f in findings] == ["file-too-large"]


def test_a_missing_file_is_a_finding_not_an_exception(tmp_path: Path) -> None:
    doc, findings = read_document(tmp_path / "nowhere.yaml")
    assert doc is None
    assert [f.check_id for f in findings] == ["file-unreadable"]


def test_load_document_raises_a_policy_error_carrying_the_findings(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\na: 2\n")
    with pytest.raises(PolicyError) as caught:
        load_document(path)
    assert [f.check_id for f in caught.value.findings] == ["yaml-duplicate-key"]


def test_data_from_a_calling_system_keeps_only_json_types() -> None:
    doc = document_from_data({"received": dt.date(2025, 3, 3), "n": 1})
    assert doc.data == {"received": "2025-03-03", "n": 1}
