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


@pytest.mark.parametrize("columns", ["", "50", "132", "0", "wide"])
def test_help_is_laid_out_as_argparse_lays_it_out(columns: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # The command line's own formatter only avoids importing shutil: same width, same text.
    import shutil

    from redress.cli import SUBCOMMANDS, _available_commands, build_parser, terminal_columns

    monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns
    ours = build_parser(_available_commands())
    plain = build_parser(_available_commands())
    for parser in (plain, *plain._subparsers._group_actions[0].choices.values()):  # type: ignore[union-attr]
        parser.formatter_class = argparse.HelpFormatter
    assert ours.format_help() == plain.format_help()
    for name in SUBCOMMANDS:
        mine = ours._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        theirs = plain._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        assert mine.format_help() == theirs.format_help()
