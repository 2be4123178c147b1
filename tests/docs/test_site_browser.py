"""The reviewer site in a real browser: Debian's headless Chromium driven by Playwright.

Takes the site ``redress docs build`` made (``conftest.py``, built once), serves it on 127.0.0.1 and
opens every procedure page.  Each must load with no console error, no failed request and no
request to any host but the local server; every flowchart must have become an SVG; the
navigation must reach every procedure.  The same pages are opened from disk (``file://``), as a
reviewer double-clicking ``index.html`` would, and search must find results there too.
Full-page screenshots of three procedure pages (:data:`SCREENSHOT_PAGES`) are kept in
``tests/artifacts/``.

The site of ``hostile/`` (a policy and a rule file with a script payload in every string) is
opened the same way: its pages, its page title, its navigation, its flowcharts and its search
results must show every payload as text and run none.

Chromium is never downloaded: ``scripts/test`` installs Debian's ``chromium`` package, and this
test fails (it does not skip) when it is missing, so CI cannot pass without running it.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from redress.policy.library import load_library

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Full-page screenshots a reviewer can look at (issue 23: three procedure pages).
SCREENSHOT_PAGES = ("children-act-1989", "council-corporate", "adult-social-care-nhs-2009")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(built_site: Path) -> Path:
    return built_site


def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    yield from _serve(site)


def _procedure_ids() -> list[str]:
    return sorted(load_library().policies)


class PageLog:
    """Everything that went wrong while a page loaded."""

    def __init__(self, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.errors: list[str] = []

    def attach(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: self.errors.append(
            f"failed request: {req.url} ({req.failure})"))
        page.on("request", self._request)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "assert"):
            self.errors.append(f"console {message.type}: {message.text}")

    def _request(self, request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self.errors.append(f"request left localhost: {request.url}")


def _open(browser: Any, url: str, base: str) -> tuple[Any, Any, PageLog]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    log = PageLog(base)
    log.attach(page)
    page.goto(url, wait_until="load")
    return context, page, log


def _wait_for_flowcharts(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('pre.redress-flowchart').length === 0"
        " && document.body.getAttribute('data-flowcharts') === 'rendered'",
        timeout=30_000)


_VISIBLE_CODE = """() => Array.from(document.querySelectorAll('article code'))
  .filter(c => !c.closest('details') && c.offsetParent !== null).map(c => c.textContent)"""


@pytest.mark.parametrize("policy_id", _procedure_ids())
def test_procedure_page_renders_offline(browser: Any, server: str, policy_id: str) -> None:
    context, page, log = _open(browser, f"{server}/procedures/{policy_id}.html", server)
    try:
        _wait_for_flowcharts(page)
        page.wait_for_load_state("networkidle")
        figures = page.locator("figure.redress-flowchart")
        assert figures.count() >= 1, "no flowchart on the page"
        for i in range(figures.count()):
            svg = figures.nth(i).locator("svg")
            assert svg.count() == 1, f"flowchart {i} has no SVG"
            assert svg.locator("g.node").count() >= 3, f"flowchart {i} has too few nodes"
        assert page.locator("pre.mermaid, pre.redress-flowchart").count() == 0
        assert page.locator("h2#stage-by-stage").count() == 1
        # The prose a reviewer sees (collapsed blocks closed) shows no code: ids and field
        # names are kept in the collapsed technical details.
        assert page.evaluate(_VISIBLE_CODE) == []
        if policy_id in SCREENSHOT_PAGES:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{policy_id}.png"), full_page=True)
        assert log.errors == []
    finally:
        context.close()


def test_navigation_reaches_every_procedure(browser: Any, server: str) -> None:
    context, page, log = _open(browser, f"{server}/", server)
    try:
        page.wait_for_load_state("networkidle")
        hrefs = page.eval_on_selector_all("nav.md-nav--primary a.md-nav__link[href]",
                                          "links => links.map(a => a.href)")
        reached = {m.group(1) for h in hrefs
                   if (m := re.search(r"/procedures/([a-z0-9-]+)\.html$", h))}
        assert set(_procedure_ids()) <= reached, sorted(set(_procedure_ids()) - reached)
        page.goto(f"{server}/procedures/index.html", wait_until="load")
        listed = set(re.findall(r"/procedures/([a-z0-9-]+)\.html", " ".join(page.eval_on_selector_all(
            "article a[href]", "links => links.map(a => a.href)"))))
        assert set(_procedure_ids()) <= listed, "the side-by-side index misses a procedure"
        assert log.errors == []
    finally:
        context.close()


def _search(page: Any, words: str) -> int:
    box = page.locator("input.md-search__input")
    assert box.is_visible(), "no search box"
    # Typed, as a reader would: fill() alone sometimes sets the text without starting a search.
    box.click()
    box.press_sequentially(words, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return int(page.locator(".md-search-result__item").count())


@pytest.mark.parametrize("path", ["index.html", "procedures/children-act-1989.html",
                                  "guide/scenarios.html"])
def test_the_site_opened_from_disk_works_and_searches(browser: Any, site: Path, path: str) -> None:
    url = (site / path).as_uri()
    context, page, log = _open(browser, url, url)
    try:
        page.wait_for_load_state("load")
        assert _search(page, "Ombudsman") > 0
        assert log.errors == []
    finally:
        context.close()


def test_a_search_hit_on_the_verification_page_reads_as_a_sentence(browser: Any,
                                                                   server: str) -> None:
    context, page, log = _open(browser, f"{server}/legal/verification.html", server)
    try:
        page.wait_for_load_state("networkidle")
        assert _search(page, "sufficient interest") > 0
        hit = page.locator("a.md-search-result__link[href*='verification.html'][href$='#v1-9']")
        hit.first.wait_for(timeout=15_000)
        assert hit.first.locator("h2").inner_text().startswith("1.9 Sufficient interest")
        teaser = hit.first.locator("p").inner_text()
        assert teaser.startswith("Fact as encoded (fact sheet): Sufficient interest decision")
        assert "Status: CONFIRMED (copy) for the content" in teaser
        assert log.errors == []
    finally:
        context.close()


def test_every_procedure_page_opened_from_disk_has_no_console_error(
        browser: Any, site: Path) -> None:
    for policy_id in _procedure_ids():
        url = (site / "procedures" / f"{policy_id}.html").as_uri()
        context, page, log = _open(browser, url, url)
        try:
            _wait_for_flowcharts(page)
            assert log.errors == [], policy_id
        finally:
            context.close()


def test_no_page_of_the_site_asks_for_anything_remote(site: Path) -> None:
    """Belt and braces for offline use: no built page refers to a CDN or web fonts."""
    remote = re.compile(r"""<(?:script|link)[^>]+(?:src|href)=["']https?://""")
    offenders = [str(p.relative_to(site)) for p in site.rglob("*.html")
                 if remote.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


# -- a policy full of script-injection payloads (issue 10 item 2, issue 19 item 1) ----------------

HOSTILE = Path(__file__).resolve().parent / "hostile"
HOSTILE_TITLE = yaml.safe_load((HOSTILE / "hostile-council.yaml").read_text(encoding="utf-8"))["title"]
HOSTILE_PAGES = ("procedures/hostile-council.html", "procedures/index.html",
                 "procedures/partnerships.html", "guide/getting-started.html", "")

# Every element or attribute through which a payload could run, anywhere in the document
# (flowchart SVGs, search results and details included).
_MARKUP_SCAN = """() => {
  const bad = [];
  const urls = ['href', 'src', 'xlink:href', 'action', 'formaction', 'data', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const value = a.value.trim().toLowerCase();
      if (a.name.startsWith('on') || a.name === 'srcdoc') bad.push(`<${tag} ${a.name}>`);
      if (urls.includes(a.name) && /^(javascript|data|vbscript):/.test(value))
        bad.push(`<${tag} ${a.name}=${value.slice(0, 30)}>`);
    }
    if (['iframe', 'object', 'embed', 'marquee', 'math', 'base'].includes(tag)) bad.push(`<${tag}>`);
    if (tag === 'img' && el.getAttribute('src') === 'x') bad.push('<img src=x>');
    if ((tag === 'script' || tag === 'style') && /__pwned|evil\\.example/.test(el.textContent))
      bad.push(`<${tag}> ${el.textContent.slice(0, 40)}`);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[str]:
    yield from _serve(hostile_site)


def _hostile_page(browser: Any, url: str, base: str) -> tuple[Any, Any, PageLog, list[str]]:
    context, page, log = _open(browser, "about:blank", base)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url, wait_until="load")
    return context, page, log, dialogs


def _provoke(page: Any) -> None:
    """Hover over and click every element a payload could have created or hidden in."""
    page.evaluate("() => document.querySelectorAll('b, i, img, svg, iframe, details, summary, "
                  "a, marquee, .md-search-result__item').forEach(el => ['mouseover', 'focus', "
                  "'toggle', 'click'].forEach(t => el.dispatchEvent(new Event(t))))")


def _assert_nothing_ran(page: Any, log: PageLog, dialogs: list[str]) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert page.evaluate(_MARKUP_SCAN) == []
    assert log.errors == []


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_no_payload_in_a_hostile_policy_runs_in_the_browser(browser: Any, hostile_server: str,
                                                            path: str) -> None:
    context, page, log, dialogs = _hostile_page(browser, f"{hostile_server}/{path}",
                                                hostile_server)
    try:
        if path.startswith("procedures/hostile"):
            _wait_for_flowcharts(page)
        page.wait_for_load_state("networkidle")
        _provoke(page)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        assert [h for h in links if not h.startswith(("http://", "https://", "mailto:"))] == []
        # The navigation names the procedure by its title, as text.
        nav = page.locator("nav.md-nav--primary").first.text_content()
        assert "</title><script>window.__pwned='title-element'</script>" in nav
        _assert_nothing_ran(page, log, dialogs)
    finally:
        context.close()


def test_the_page_title_is_the_policy_title_as_text(browser: Any, hostile_server: str) -> None:
    context, page, log, dialogs = _hostile_page(
        browser, f"{hostile_server}/procedures/hostile-council.html", hostile_server)
    try:
        _wait_for_flowcharts(page)
        assert page.title() == f"{HOSTILE_TITLE} - Redress — complaints procedures for reviewers"
        assert page.locator("head title").count() == 1
        assert page.locator("h1").first.inner_text().startswith(HOSTILE_TITLE[:40])
        # Flowchart labels: the stage title shows its markup as text.
        assert "<b>Stage</b>" in page.locator("figure.redress-flowchart").first.inner_text()
        _assert_nothing_ran(page, log, dialogs)
    finally:
        context.close()


@pytest.mark.parametrize("words", ["Hostile", "Exclusion", "Reason"])
def test_search_results_for_a_hostile_policy_run_nothing(browser: Any, hostile_server: str,
                                                         words: str) -> None:
    context, page, log, dialogs = _hostile_page(browser, f"{hostile_server}/", hostile_server)
    try:
        page.wait_for_load_state("networkidle")
        page.wait_for_function("() => !document.querySelector('.md-search-result__meta')"
                               ".textContent.includes('Initializing')", timeout=15_000)
        assert _search(page, words) > 0
        page.wait_for_timeout(300)  # let every result render
        _provoke(page)
        _assert_nothing_ran(page, log, dialogs)
        # Result titles and excerpts show the payloads as text.
        assert "<img src=x" in page.locator(".md-search-result").text_content()
    finally:
        context.close()
