"""How figures read in every format: shares as percentages, money in pounds, stage names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def stage_name(stage: str) -> str:
    return stage.replace("stage", "stage ") if stage.startswith("stage") else stage


def money(value: float) -> str:
    return f"£{value:,.2f}"


def show(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "money":
        return money(float(value))
    if isinstance(value, float) and value.is_integer() and unit == "count":
        return str(int(value))
    return str(value)


def value_text(figure: Mapping[str, Any]) -> str:
    """A statutory figure's value in words, with its breakdown where it has one."""
    unit, value, detail = figure["unit"], figure["value"], figure["detail"]
    if unit == "narrative":
        return "to be written by the complaints manager"
    if unit == "rate" and value is None:
        return "needs the number of homes (--homes)"
    text = show(value, unit)
    if unit == "share" and isinstance(detail, Mapping):
        text += f" ({detail['numerator']} of {detail['denominator']})"
    elif unit == "rate" and isinstance(detail, Mapping):
        text += f" per 1,000 homes ({detail['received']} for {detail['homes']:,} homes)"
    elif unit == "breakdown" and isinstance(detail, Mapping):
        inner = {k: v for k, v in detail.items() if isinstance(v, int | float)}
        if inner:
            text += " (" + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in inner.items()) + ")"
    return text


__all__ = ["money", "show", "stage_name", "value_text"]
