"""Human-readable output that cannot rewrite the reader's terminal.

Case ids, organisation ids, policy titles and unknown keys come from files Redress does not
control.  Printed raw, an ESC or OSC sequence could recolour the terminal, set its title or
hide lines, and a CR could overwrite a line already shown.  :func:`printable` is the one place
where text meant for a person is made safe: control characters (C0 except newline and tab, DEL,
C1), lone surrogates and bidirectional overrides become visible escapes such as ``\\x1b``.
JSON output needs none of this: ``json.dumps`` escapes every control character itself.
"""

from __future__ import annotations

import re

# C0 controls except \t and \n, DEL, C1 controls, lone surrogates, and the bidi overrides and
# isolates that can make a line read differently from what it is ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every character that could control a terminal shown as an escape."""
    return _UNSAFE.sub(_escape, text)


def printable_line(text: str) -> str:
    """Like :func:`printable`, but for one line: newlines and tabs are escaped too."""
    return printable(text).replace("\n", "\\n").replace("\t", "\\t")


__all__ = ["printable", "printable_line"]
