"""Two-limb limits: a time limit's ``outer_limit`` (the earlier date) and a window's
``or_later`` (the later date), in the cases the bundled policies do not reach.

Dates are worked by hand on the England and Wales calendar (March 2025 has no bank holiday).
"""

from __future__ import annotations

import datetime as dt

from redress.calendar import get_calendar
from redress.evaluation.clock import Clock, Progress
from redress.evaluation.limits import LimitCode, ombudsman_limit
from redress.evaluation.timeline import window_clock, window_code
from redress.policy.model import Citation, Limb, Period, Stage, TimeLimit, Window

d = dt.date
EW = get_calendar("england-and-wales")
CITE = Citation("", "", "", "")


RECEIVED = d(2025, 3, 3)


def _limit_clock(limit: TimeLimit, occurred: dt.date | None, aware: dt.date | None) -> Clock:
    made = ombudsman_limit(LimitCode.of(limit), "X", (), EW, d(2023, 2, 1), None, RECEIVED,
                           occurred, aware)
    assert made is not None
    return made


def _limit(outer: Limb | None) -> TimeLimit:
    return TimeLimit(period=Period("months", 12), anchor="aware", counting="after",
                     late="discretion", discretion="", citation=CITE, outer_limit=outer)


def test_an_ombudsman_outer_limit_caps_the_time_limit() -> None:
    # 12 months after awareness on 1 Jun 2022 -> 1 Jun 2023; 3 years after the event on
    # 15 Jan 2020 -> 15 Jan 2023, earlier, so 15 Jan 2023 counted from the event.
    limit = _limit(Limb(Period("years", 3), "occurred", "after"))
    made = _limit_clock(limit, d(2020, 1, 15), d(2022, 6, 1))
    assert (made.due, made.anchor, made.anchor_date) == (d(2023, 1, 15), "occurred",
                                                         d(2020, 1, 15))
    assert "capped at 3 years after 2020-01-15" in made.basis()


def test_an_outer_limit_that_ends_later_leaves_the_main_limit() -> None:
    # 12 months after 1 Jun 2022 -> 1 Jun 2023; 3 years after 15 Jan 2021 -> 15 Jan 2024.
    limit = _limit(Limb(Period("years", 3), "occurred", "after"))
    made = _limit_clock(limit, d(2021, 1, 15), d(2022, 6, 1))
    assert (made.due, made.anchor) == (d(2023, 6, 1), "aware")
    assert "does not end earlier" in made.basis()


def test_an_outer_limit_without_its_date_is_left_out_and_said_so() -> None:
    # No event date: 12 months after awareness on 1 Jun 2022 -> 1 Jun 2023, uncapped.
    limit = _limit(Limb(Period("years", 3), "occurred", "after"))
    made = _limit_clock(limit, None, d(2022, 6, 1))
    assert made.due == d(2023, 6, 1)
    assert "could not be counted" in made.basis()


def _window(progress: Progress, occurred: dt.date | None = None) -> Clock | None:
    window = progress.stage.window
    assert window is not None
    return window_clock(window_code(window, "stage1", EW), progress, None, d(2025, 3, 24),
                        occurred, None)


def _progress(or_later: Limb) -> Progress:
    window = Window(title="Ask for stage 2", period=Period("working_days", 10),
                    anchor="responded", counting="after", late="discretion",
                    calendar="england-and-wales", citation=CITE, or_later=or_later)
    stage = Stage(id="stage1", number=1, title="Stage 1", handled_by="", citation=CITE,
                  deadlines=(), next_stage="stage2", window=window)
    return Progress(stage=stage, opened_on=d(2025, 3, 3),
                    dates={"received": d(2025, 3, 3), "responded": d(2025, 3, 7)},
                    outcome=None, extensions=(), agreed_periods=())


def test_or_later_may_count_from_an_event_of_the_stage() -> None:
    # 10 working days after Fri 7 Mar 2025: 10..14 (5), 17..21 (10) -> Fri 21 Mar; 1 month
    # after receipt on Mon 3 Mar -> Thu 3 Apr, later, so the window ends 3 Apr.
    made = _window(_progress(Limb(Period("months", 1), "received", "after")))
    assert made is not None
    assert (made.due, made.anchor, made.state) == (d(2025, 4, 3), "received", "pending")
    assert made.basis().startswith("the later of 10 working days after 2025-03-07")


def test_or_later_without_a_matter_date_keeps_the_main_period() -> None:
    # No event date: only 10 working days after Fri 7 Mar 2025 -> Fri 21 Mar.
    made = _window(_progress(Limb(Period("months", 6), "occurred", "after")))
    assert made is not None and made.due == d(2025, 3, 21)
    assert "could not be counted" in made.basis()
