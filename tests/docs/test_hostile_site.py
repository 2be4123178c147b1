"""A policy's strings stay text in every context of the built reviewer site (issue 19 item 1).

``hostile/`` holds a local policy and a rule file with a script-injection payload in every
string the site shows.  The site built from them is read back as HTML, without a browser:
element text, attributes, the page ``<title>`` (where ``</title>`` would end the element),
navigation, Mermaid sources, collapsed details and the search index must hold each payload as
text, never as markup.  ``test_site_browser.py`` loads the same site in Chromium.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).resolve().parent / "hostile"
SITE_NAME = "Redress — complaints procedures for reviewers"
POLICY = yaml.safe_load((HOSTILE / "hostile-council.yaml").read_text(encoding="utf-8"))
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "poster"}
FORBIDDEN = {"iframe", "object", "embed", "marquee", "math", "base", "frame", "frameset"}
# The tags Material's search index keeps (material/plugins/search: Parser.keep).
SEARCH_TAGS = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}


class Markup(HTMLParser):
    """What a page's HTML makes of it: elements, attributes, script text and the title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tags: set[str] = set()
        self.title: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._open.append(tag)
        for name, value in attrs:
            text = (value or "").strip().lower()
            if name.startswith("on") or name == "srcdoc":
                self.problems.append(f"<{tag} {name}=…>")
            elif name in URL_ATTRIBUTES and text.startswith(("javascript:", "data:", "vbscript:")):
                self.problems.append(f"<{tag} {name}={text[:30]}>")
        if tag in FORBIDDEN or (tag == "img" and ("src", "x") in attrs):
            self.problems.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        where = self._open[-1] if self._open else ""
        if where == "title":
            self.title.append(data)
        if where in ("script", "style") and ("__pwned" in data or "evil.example" in data):
            self.problems.append(f"<{where}> {data.strip()[:60]}")


def read(path: Path) -> Markup:
    parser = Markup()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def test_no_built_page_holds_a_payload_as_markup(hostile_site: Path) -> None:
    found = {str(p.relative_to(hostile_site)): read(p).problems for p in _pages(hostile_site)}
    assert len(found) > 20
    assert {page: problems for page, problems in found.items() if problems} == {}


def test_the_page_title_element_holds_the_policy_title_as_text(hostile_site: Path) -> None:
    page = read(hostile_site / "procedures" / "hostile-council.html")
    assert "".join(page.title).strip() == f"{POLICY['title']} - {SITE_NAME}"


def test_every_page_title_is_one_text_element(hostile_site: Path) -> None:
    """No page of the site has markup inside, or a second, <title>."""
    for path in _pages(hostile_site):
        text = path.read_text(encoding="utf-8")
        head = text[:text.index("</head>")]
        assert head.count("<title>") == 1 and head.count("</title>") == 1, path


def test_the_search_index_holds_policy_text_as_text(hostile_site: Path) -> None:
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text(
        encoding="utf-8"))["docs"]
    for doc in docs:
        for field in ("title", "text"):
            parsed = Markup()
            parsed.feed(doc[field])
            assert parsed.problems == [], doc["location"]
            assert parsed.tags <= SEARCH_TAGS, (doc["location"], parsed.tags - SEARCH_TAGS)
    hostile = [d for d in docs if d["location"] == "procedures/hostile-council.html"]
    assert hostile and "&lt;/title&gt;&lt;script&gt;" in hostile[0]["title"]
