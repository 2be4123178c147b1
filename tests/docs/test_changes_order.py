""""What changed" leads with changes of substance; citation and wording edits come after."""

from __future__ import annotations

import copy
from typing import Any

from redress.docs.changes import describe_changes

OLD: dict[str, Any] = {
    "time_limit": {"period": {"months": 12}, "citation": {"source": "code", "provision": "2.1"}},
    "stages": {"stage1": {"title": "Stage 1", "deadlines": {"respond": {
        "period": {"working_days": 10}, "from": "received",
        "citation": {"source": "code", "provision": "6.1"}}}}},
}


def test_a_timescale_counted_from_a_new_event_comes_before_a_citation_edit() -> None:
    new = copy.deepcopy(OLD)
    new["time_limit"]["citation"] = {"source": "code", "provision": "2.2"}
    respond = new["stages"]["stage1"]["deadlines"]["respond"]
    respond["citation"] = {"source": "code", "provision": "6.3"}
    respond["from"] = "acknowledged"
    first, second = describe_changes(OLD, new)
    assert first.startswith("Stage 1 response: 10 working days after receipt of the complaint → "
                            "10 working days after the stage 1 acknowledgement; citation")
    assert second.startswith("Time limit for complaining: citation")
