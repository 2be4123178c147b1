"""The command-line reference, generated from the same argparse parsers ``redress`` runs.

Each subcommand (and sub-subcommand, such as ``redress calendar add``) gets its usage line, its
description and a table of its arguments with their help, choices and defaults, so the page
always matches ``redress COMMAND --help``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from redress.docs import markdown as md


def cli_page(parser: argparse.ArgumentParser) -> str:
    """The whole CLI reference page, from the ``redress`` parser (the CLI passes its own in,
    so the docs never import the CLI that sits above them)."""
    parts = ["# Command-line reference",
             "Generated from the `redress` command's own argument parsers, so it matches "
             "`redress COMMAND --help`. Exit codes for every command: **0** success, **1** "
             "findings or an invalid case or policy, **2** a usage or I/O error (a full "
             "disk, a case file that is a folder or device), **3** an unexpected internal error "
             "(a bug in Redress, reported as one line naming the case). A closed output pipe "
             "(`redress … | head`) ends quietly with **141**. No command prints a traceback; "
             "see `SECURITY.md` for the limits on input.",
             _usage(parser)]
    parts.extend(_command(name, sub, help_text, level=2)
                 for name, sub, help_text in _subcommands(parser))
    return "\n\n".join(parts) + "\n"


def _subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser,
                                                                     str]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield name, sub, helps.get(name, "")


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = " ".join(parser.format_usage().removeprefix("usage:").split())
    return f"```text\n{usage}\n```"


def _command(name: str, parser: argparse.ArgumentParser, help_text: str, level: int) -> str:
    heading = "#" * level + f" `{parser.prog}`"
    parts = [heading]
    if help_text:
        parts.append(md.prose(help_text[0].upper() + help_text[1:]))
    if parser.description and parser.description.strip("`. ") != help_text.strip(". "):
        parts.append(_description(parser.description))
    parts.append(_usage(parser))
    rows = list(_arguments(parser))
    if rows:
        parts.append(md.table(["Argument", "Meaning", "Default"], rows))
    parts.extend(_command(sub_name, sub, sub_help, level + 1)
                 for sub_name, sub, sub_help in _subcommands(parser))
    return "\n\n".join(parts)


def _description(text: str) -> str:
    """A parser description; reST double backticks become Markdown code."""
    return text.replace("``", "`")


def _arguments(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str, str]]:
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._VersionAction
                      | argparse._SubParsersAction):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        yield _name(action), _help(action), _default(action)


def _name(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest}`"
    names = ", ".join(action.option_strings)
    takes_value = action.nargs != 0
    value = f" {action.metavar or action.dest.upper()}" if takes_value else ""
    return f"`{names}{value}`"


def _help(action: argparse.Action) -> str:
    text = md.escape((action.help or "").replace("%%", "%"))
    if action.choices and not isinstance(action, argparse._SubParsersAction):
        text += ("; " if text else "") + "one of " + ", ".join(f"`{c}`" for c in action.choices)
    if action.required and action.option_strings:
        text += " (required)"
    if isinstance(action, argparse._AppendAction):
        text += " (may be repeated)"
    return text


def _default(action: argparse.Action) -> str:
    default = action.default
    if default in (None, False, [], argparse.SUPPRESS) or action.nargs == 0:
        return ""
    return f"`{default}`"
