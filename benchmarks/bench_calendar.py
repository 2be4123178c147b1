"""Working-day addition: Redress's table against a naive loop and numpy.

100,000 ``add_working_days(start, n)`` calls, England and Wales, start dates uniform over
2024-2026 (weekends and bank holidays included), n uniform in 1..65, fixed seed.  Compared in the
same run, each the best of several repeats:

* Redress: ``get_calendar("england-and-wales").add_working_days`` (O(1) table look-ups);
* naive: a day-by-day loop testing ``d.weekday() < 5 and d not in h`` for a ``holidays`` object;
* numpy: ``numpy.busday_offset`` called once per date with a prebuilt ``busdaycalendar`` and
  ``roll="backward"`` (engine-notes §2.3: a non-working start rolls back, then +n lands on the
  n-th working day strictly after it);
* numpy vectorised over all 100,000 inputs in one call, for context (batch recomputation).

All methods must agree on every input.  Targets: Redress at least 20× faster than the naive
loop and faster than numpy per call.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import holidays
import numpy as np

from harness import Report, Row, best_of
from redress.calendar import get_calendar

TITLE = "add_working_days: Redress table vs naive holidays loop vs numpy busday_offset"
CALLS = 100_000
SEED = 20251123
REPEATS = 5
NAIVE_REPEATS = 3
FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)
ONE_DAY = timedelta(days=1)


def _inputs() -> list[tuple[date, int]]:
    rng = random.Random(SEED)
    span = (LAST - FIRST).days
    return [
        (FIRST + timedelta(days=rng.randint(0, span)), rng.randint(1, 65)) for _ in range(CALLS)
    ]


def run() -> Report:
    inputs = _inputs()
    starts = [d for d, _ in inputs]
    counts = [n for _, n in inputs]

    cal = get_calendar("england-and-wales")  # built before timing, as in the engine
    add = cal.add_working_days

    # Populate every year the loop can reach, so lazy year expansion is not timed.
    h = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028))

    def naive_add(d: date, n: int) -> date:
        while n:
            d += ONE_DAY
            if d.weekday() < 5 and d not in h:
                n -= 1
        return d

    weekday_holidays = sorted(d for d in h if d.weekday() < 5)
    busdaycal = np.busdaycalendar(weekmask="1111100", holidays=weekday_holidays)
    np_starts = [np.datetime64(d, "D") for d in starts]
    np_pairs = list(zip(np_starts, counts, strict=True))
    busday_offset = np.busday_offset
    start_array = np.array(np_starts, dtype="datetime64[D]")
    count_array = np.array(counts)

    t_redress, redress = best_of(REPEATS, lambda: [add(d, n) for d, n in inputs])
    t_naive, naive = best_of(NAIVE_REPEATS, lambda: [naive_add(d, n) for d, n in inputs])
    t_numpy, numpy_scalar = best_of(
        REPEATS,
        lambda: [busday_offset(d, n, roll="backward", busdaycal=busdaycal) for d, n in np_pairs],
    )
    t_vector, numpy_vector = best_of(
        REPEATS,
        lambda: np.busday_offset(start_array, count_array, roll="backward", busdaycal=busdaycal),
    )

    expected = np.array(redress, dtype="datetime64[D]")
    ok = (
        naive == redress
        and bool((np.array(numpy_scalar, dtype="datetime64[D]") == expected).all())
        and bool((numpy_vector == expected).all())
    )
    report = Report(
        TITLE,
        rows=[
            Row("Redress table (WorkingDayCalendar.add_working_days)", t_redress, CALLS),
            Row("naive loop, d not in holidays object", t_naive, CALLS),
            Row("numpy busday_offset, one call per date", t_numpy, CALLS),
            Row("numpy busday_offset, vectorised (context only)", t_vector, CALLS),
        ],
        ok=ok,
    )
    vs_naive, vs_numpy = t_naive / t_redress, t_numpy / t_redress
    report.notes += [
        f"Redress vs naive loop: {vs_naive:.1f}× faster "
        f"(target ≥ 20×: {'met' if vs_naive >= 20 else 'NOT met'})",
        f"Redress vs numpy per call: {vs_numpy:.1f}× faster "
        f"(target > 1×: {'met' if vs_numpy > 1 else 'NOT met'})",
        f"inputs: {CALLS} starts in {FIRST}..{LAST}, n in 1..65, seed {SEED}; "
        f"best of {REPEATS} (naive {NAIVE_REPEATS}); calendar {cal.data_version}",
    ]
    return report


if __name__ == "__main__":
    from harness import render

    print(render(run()))
