"""The policy set cached on disk: used when it holds exactly these files, ignored and rebuilt
when it does not, and never able to make Redress run code or read a policy it was not given."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from redress.evaluation.evaluate import Engine
from redress.policy import cache
from redress.policy.library import Library

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    place = tmp_path / "cache"
    monkeypatch.setenv("REDRESS_CACHE_DIR", str(place))
    return place


def _same(one: Library, other: Library) -> None:
    assert one.digest == other.digest and one.files == other.files
    assert one.policies == other.policies and one.rules == other.rules
    assert one.catalog == other.catalog


def _entry(folder: Path) -> Path:
    [entry] = folder.glob("policy-set-*.json")
    return entry


def test_a_second_load_comes_from_the_cache_and_equals_the_first(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cache.load_library_cached()
    assert _entry(folder).stat().st_mode & 0o077 == 0  # readable by its owner only

    def refuse(*_args: object, **_kwargs: object) -> Library:
        raise AssertionError("loaded from the files again")

    monkeypatch.setattr(cache, "load_library", refuse)
    second = cache.load_library_cached()
    _same(first, second)
    engine = Engine(second)
    assert engine.evaluate(EXAMPLE, as_of=AS_OF).to_dict() == \
        Engine(first).evaluate(EXAMPLE, as_of=AS_OF).to_dict()


def test_a_changed_policy_file_is_another_policy_set(folder: Path, tmp_path: Path) -> None:
    local = tmp_path / "local"
    shutil.copytree(ROOT / "examples" / "local-policies", local)
    one = cache.load_library_cached([local])
    target = next(local.glob("*.yaml"))
    target.write_text(target.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    other = cache.load_library_cached([local])
    assert one.digest != other.digest
    assert len(list(folder.glob("policy-set-*.json"))) == 2


def _rewrite(entry: Path, change: str, to: str, *, checksum: bool) -> None:
    stored = json.loads(entry.read_bytes())
    body = json.dumps(stored["entry"]).replace(change, to)
    stored["entry"] = json.loads(body)
    if checksum:  # as someone who knows the format would
        stored["checksum"] = hashlib.sha256(body.encode()).hexdigest()
    entry.write_text(json.dumps(stored), encoding="utf-8")
    os.chmod(entry, 0o600)


def test_an_entry_changed_on_disk_is_ignored_and_rebuilt(folder: Path) -> None:
    honest = cache.load_library_cached()
    entry = _entry(folder)
    _rewrite(entry, '"working_days":10', '"working_days":99', checksum=False)
    again = cache.load_library_cached()
    _same(honest, again)
    assert '"working_days":99' not in entry.read_text(encoding="utf-8")  # rebuilt


def test_an_entry_others_may_write_is_not_read(folder: Path) -> None:
    honest = cache.load_library_cached()
    entry = _entry(folder)
    _rewrite(entry, '"working_days":10', '"working_days":99', checksum=True)
    os.chmod(entry, 0o666)
    _same(honest, cache.load_library_cached())


def test_text_in_an_entry_is_never_run_as_code(folder: Path, tmp_path: Path) -> None:
    cache.load_library_cached()
    marker = tmp_path / "ran"
    code = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    _rewrite(_entry(folder), '"Stage 1 response"', json.dumps(code), checksum=True)
    engine = Engine(cache.load_library_cached())
    data = engine.evaluate(EXAMPLE, as_of=AS_OF).to_dict()
    assert not marker.exists()
    assert code in json.dumps(data)  # the edited title is only ever text


def test_the_cache_is_never_kept_in_a_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDRESS_CACHE_DIR", str(ROOT / "tests" / "artifacts" / "cache"))
    assert cache.cache_dir() is None
    monkeypatch.setenv("REDRESS_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    monkeypatch.delenv("REDRESS_CACHE_DIR")
    found = cache.cache_dir()
    assert found is not None and ROOT not in found.resolve().parents
