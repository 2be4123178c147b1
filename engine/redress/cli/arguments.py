"""Argument types shared by the subcommands."""

from __future__ import annotations

import argparse
import datetime as dt
import re

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(text: str) -> dt.date:
    """argparse type: a real date written YYYY-MM-DD (argparse reports the error, exit 2)."""
    try:
        if not _ISO_DATE.match(text):  # fromisoformat also takes 20250501 and week dates
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: expected a real date as YYYY-MM-DD") from None


def backend_option(parser: argparse.ArgumentParser) -> None:
    """``--backend``: which evaluator runs the rules (one wording for every subcommand)."""
    parser.add_argument("--backend", choices=("auto", "durable", "plain"), default="auto",
                        help="rule backend: plain (Redress's compiled conditions, the default; "
                             "auto means plain) or durable (durable-rules: identical results, "
                             "slower)")


__all__ = ["backend_option", "iso_date"]
