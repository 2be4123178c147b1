"""What has happened at one stage: the path before issue 24 kept the same record as the
compiled path's ``Progress``, so it is that one."""

from __future__ import annotations

from redress.evaluation.clock import Progress as StageProgress

__all__ = ["StageProgress"]
