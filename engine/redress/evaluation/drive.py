"""Driving the step-by-step evaluations of ``steps``: one case, or many at once.

``drive`` runs one case, firing each program as it asks.  ``drive_many`` runs a batch in
lockstep: it collects the request every case is waiting on, fires each program once for all the
cases waiting on it (``fire_many``: one durable-rules session for the whole group), and sends
each case its answer.  A case that fails (a date past the calendar, a bug) is answered with its
exception; the others go on.  When a group's firing fails as a whole, its cases are fired one at
a time, so that one case cannot take the batch down with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from redress.evaluation.conclusion import Conclusion
from redress.evaluation.programs import Program, Programs
from redress.evaluation.steps import Fire, Steps


def drive(programs: Programs, steps: Steps) -> Conclusion:
    """Run one evaluation to its conclusion, firing each program as it asks."""
    try:
        request = next(steps)
        while True:
            request = steps.send(programs.fire(request.program, request.values))
    except StopIteration as done:
        conclusion: Conclusion = done.value
        return conclusion


def _advance(steps: Steps, answer: list[str] | None) -> Fire | Conclusion | Exception:
    try:
        return next(steps) if answer is None else steps.send(answer)
    except StopIteration as done:
        conclusion: Conclusion = done.value
        return conclusion
    except Exception as exc:  # this case's failure, recorded as its outcome
        return exc


def _fire_group(programs: Programs, program: Program,
                requests: Sequence[Fire]) -> list[list[str] | Exception]:
    try:
        return list(programs.fire_many(program, [r.values for r in requests]))
    except Exception:  # one bad case: fire them one by one to find it
        answers: list[list[str] | Exception] = []
        for request in requests:
            try:
                answers.append(programs.fire(program, request.values))
            except Exception as exc:
                answers.append(exc)
        return answers


def drive_many(programs: Programs,
               batch: Sequence[Steps]) -> list[Conclusion | Exception]:
    """Run many evaluations together; each one's conclusion, or the exception it raised."""
    outcomes: list[Conclusion | Exception | None] = [None] * len(batch)
    waiting: dict[int, Fire] = {}
    for i, steps in enumerate(batch):
        step = _advance(steps, None)
        if isinstance(step, Fire):
            waiting[i] = step
        else:
            outcomes[i] = step
    while waiting:
        groups: dict[str, list[int]] = {}
        for i, request in waiting.items():
            groups.setdefault(request.program.key, []).append(i)
        answered, waiting = waiting, {}
        for members in groups.values():
            program = answered[members[0]].program
            answers = _fire_group(programs, program, [answered[i] for i in members])
            for i, answer in zip(members, answers, strict=True):
                step = answer if isinstance(answer, Exception) else _advance(batch[i], answer)
                if isinstance(step, Fire):
                    waiting[i] = step
                else:
                    outcomes[i] = step
    # Every evaluation has ended in a conclusion or an exception.
    return [o for o in outcomes if o is not None]


__all__ = ["drive", "drive_many"]
