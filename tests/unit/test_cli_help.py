"""Every command's ``--help`` reads as plain text: no reST markup, and every option explained."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from redress.cli import _available_commands, build_parser


def _parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


PARSERS = dict(_parsers(build_parser(_available_commands())))


@pytest.mark.parametrize("prog", sorted(PARSERS))
def test_help_text_has_no_restructuredtext_backticks(prog: str) -> None:
    assert "``" not in PARSERS[prog].format_help()


@pytest.mark.parametrize("prog", sorted(PARSERS))
def test_every_option_has_help(prog: str) -> None:
    unexplained = [action.option_strings or action.dest for action in PARSERS[prog]._actions
                   if not isinstance(action, argparse._SubParsersAction) and not action.help]
    assert unexplained == []
