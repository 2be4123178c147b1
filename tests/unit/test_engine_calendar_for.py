"""Engine.calendar_for: the calendar a procedure counts in, closures included.

Expected dates counted by hand on the GOV.UK England and Wales calendar: Christmas Day
(Thu 25 Dec 2025), Boxing Day (Fri 26 Dec 2025) and New Year's Day (Thu 1 Jan 2026) are bank
holidays; Exampleshire's example policy closes its offices on 24, 29, 30 and 31 December 2025.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from redress import Engine

LOCAL = Path(__file__).resolve().parents[2] / "examples" / "local-policies"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load([LOCAL])


def test_a_local_policy_s_closures_do_not_count(engine: Engine) -> None:
    calendar = engine.calendar_for("exampleshire-corporate", dt.date(2025, 12, 22))
    assert calendar is not None
    # Tue 23 Dec is day 1; 24-31 Dec and 1 Jan are closed or holidays; Fri 2 Jan is day 2,
    # Mon 5 to Wed 7 Jan days 3 to 5.
    assert calendar.add_working_days(dt.date(2025, 12, 22), 5) == dt.date(2026, 1, 7)


def test_the_bundled_policy_counts_only_bank_holidays(engine: Engine) -> None:
    calendar = engine.calendar_for("council-corporate", dt.date(2025, 12, 22))
    assert calendar is not None
    # 23, 24, 29, 30 and 31 December are working days without the local closures.
    assert calendar.add_working_days(dt.date(2025, 12, 22), 5) == dt.date(2025, 12, 31)


def test_an_unknown_procedure_has_no_calendar(engine: Engine) -> None:
    assert engine.calendar_for("no-such-procedure", dt.date(2025, 12, 22)) is None
