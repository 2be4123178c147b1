"""The command line's start-up and the garbage collector: what start-up makes is set aside from
later collections, and a command run in-process gives it back (no engine kept alive)."""

from __future__ import annotations

import contextlib
import gc
import io
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from redress.cli import main, starting

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "EX-2025-0042.yaml"


@pytest.fixture
def collector() -> Iterator[None]:
    """Each test starts with the collector on and nothing frozen, and leaves it so."""
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.mark.usefixtures("collector")
def test_start_up_objects_are_frozen_and_the_collector_is_back_on() -> None:
    with starting():
        assert not gc.isenabled()  # no collection while start-up builds
        made = _Cycle()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    ref = weakref.ref(made)
    del made
    gc.collect()
    assert ref() is not None  # frozen: later collections skip it
    gc.unfreeze()
    gc.collect()
    assert ref() is None


@pytest.mark.usefixtures("collector")
def test_a_collector_turned_off_by_the_caller_is_left_alone() -> None:
    gc.disable()
    with starting():
        pass
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector")
def test_main_in_process_unfreezes_what_start_up_froze(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDRESS_CACHE_DIR", str(tmp_path))
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["evaluate", str(EXAMPLE), "--as-of", "2025-06-01"])
    assert code == 0 and "EX-2025-0042" in out.getvalue()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_main_leaves_a_callers_frozen_objects_frozen(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDRESS_CACHE_DIR", str(tmp_path))
    gc.freeze()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["--version"]) == 0
    assert gc.get_freeze_count() > 0
