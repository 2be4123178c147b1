"""The complaints manager's narrative: learning, service improvements, the self-assessment, "you
said, we did".  A Markdown file (``--narrative FILE``) split into sections at its ``#`` and ``##``
headings.

The text is untrusted (it may be pasted from anywhere): the HTML report renders it with
markdown-it-py's CommonMark parser with raw HTML off and images off (no request leaves the page),
and links only to web and mail addresses (markdown-it refuses ``javascript:``, ``data:`` and
``file:`` links itself); the Markdown report keeps headings, lists and emphasis but escapes every
character that could open HTML, a link or an image.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MAX_NARRATIVE_BYTES = 1024 * 1024
_HEADING = re.compile(r"^ {0,3}(#{1,2})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BLOCK_MARK = re.compile(r"^(\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\d{1,9}[.)]\s+|>\s?)*)(.*)$")
_INLINE_UNSAFE = re.compile(r"([\\<>\[\]()!&])")
_SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.I)


def sections(text: str) -> tuple[tuple[str, str], ...]:
    """(heading, Markdown body) of each section; text before the first heading has none."""
    out: list[tuple[str, list[str]]] = [("", [])]
    fenced = None
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        fence = _FENCE.match(line)
        if fence and (fenced is None or fence.group(1).startswith(fenced)):
            fenced = None if fenced else fence.group(1)[0] * 3
        heading = _HEADING.match(line) if fenced is None else None
        if heading:
            out.append((heading.group(2).strip(), []))
        else:
            out[-1][1].append(line)
    return tuple((title, "\n".join(body).strip("\n")) for title, body in out
                 if title or "".join(body).strip())


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"]).disable(["image"])
    default = md.validateLink
    md.validateLink = (  # type: ignore[method-assign]
        lambda url: bool(_SAFE_LINK.match(url.strip())) and default(url))
    return md


def to_html(markdown: str, heading_offset: int = 0) -> str:
    """Safe HTML for a section body; its headings are moved below the section's own."""
    tokens = _parser().parse(markdown)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + heading_offset, 6)
            token.tag = f"h{level}"
    html: str = _parser().renderer.render(tokens, _parser().options, {})
    return html


def to_markdown(markdown: str) -> str:
    """The body as Markdown that cannot open HTML, a link or an image in any renderer: block
    structure (headings, lists, quotes, code blocks) is kept, inline markup characters that could
    do so are escaped."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        mark = _BLOCK_MARK.match(line)
        prefix, rest = (mark.group(1), mark.group(2)) if mark else ("", line)
        out.append(prefix + _INLINE_UNSAFE.sub(r"\\\1", rest))
    if fenced:
        out.append("```")
    return "\n".join(out)


__all__ = ["MAX_NARRATIVE_BYTES", "sections", "to_html", "to_markdown"]
