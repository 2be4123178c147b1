"""Human-readable output that cannot rewrite the reader's terminal.

Case ids, organisation ids, policy titles and unknown keys come from files Redress does not
control.  Printed raw, an ESC or OSC sequence could recolour the terminal, set its title or hide
lines, and a CR could overwrite a line already shown.  Every text, ``--explain`` and lint line
goes through :func:`printable` (built on :func:`redress.findings.escape_controls`), which shows
such characters as visible escapes (``\\x1b``).  JSON output needs none of this: ``json.dumps``
escapes control characters itself.
"""

from __future__ import annotations

from redress.findings import escape_controls


def printable(text: str) -> str:
    """``text`` with every character that could control a terminal shown as an escape."""
    return escape_controls(text)


def printable_line(text: str) -> str:
    """Like :func:`printable`, but for one line: newlines and tabs are escaped too."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


__all__ = ["printable", "printable_line"]
