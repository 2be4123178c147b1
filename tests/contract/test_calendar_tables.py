"""The prebuilt calendar tables shipped in the package equal a fresh build from ``holidays``.

The tables (``calendar/holiday_tables.json``) spare every process the import of ``holidays`` and
a tenth of a second per nation.  If this fails, ``holidays`` was re-pinned or the overrides were
edited without rebuilding them: run ``python -m redress.calendar.make_tables``.
"""

from __future__ import annotations

import sys
from subprocess import run

import pytest

from redress.calendar import CALENDAR_NAMES, build_calendar, get_calendar, tables


def test_the_shipped_tables_equal_a_fresh_build() -> None:
    shipped = tables._document()
    assert shipped is not None, "the prebuilt tables are missing or out of date"
    assert shipped == tables.build_tables()


@pytest.mark.parametrize("name", CALENDAR_NAMES)
def test_a_calendar_from_the_table_equals_one_built_from_holidays(name: str) -> None:
    prebuilt, built = get_calendar(name), build_calendar(name)
    assert prebuilt.data_version == built.data_version
    assert prebuilt._named == built._named
    assert (prebuilt._cum, prebuilt._workdays, prebuilt._skipped_ordinals) == (
        built._cum, built._workdays, built._skipped_ordinals)


def test_a_stale_table_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    # Overrides edited without a rebuild: the calendar is built from holidays instead.
    monkeypatch.setattr(tables, "shipped_overrides", lambda: ("2099-01-01", ()))
    tables._document.cache_clear()
    try:
        assert tables.prebuilt("scotland") is None
    finally:
        tables._document.cache_clear()


def test_evaluating_never_imports_holidays() -> None:
    code = ("import sys, datetime as dt; from redress.calendar import get_calendar; "
            "[get_calendar(n).shift(dt.date(2025, 1, 2), 3) for n in "
            "('england-and-wales', 'scotland', 'northern-ireland')]; "
            "print('holidays' in sys.modules)")
    out = run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
