"""Policy text is untrusted wherever it lands in the reviewers' site (issue 10, item 2): HTML,
Markdown table cells, Mermaid labels and the YAML navigation.  The browser test
(``test_site_browser.py``) shows no payload runs; these pin each context's escaping, and the
schema's refusal of script links and multi-line titles, with their line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.cli import main
from redress.docs import markdown as md
from redress.docs.flowchart import label
from redress.docs.site import site_nav

HOSTILE = Path(__file__).resolve().parent / "hostile"


def test_a_link_to_anything_but_the_web_is_rendered_as_plain_text() -> None:
    assert md.link("click", "javascript:alert(1)") == "click"
    assert md.link("<b>x</b>", "data:text/html,hi") == "&lt;b>x&lt;/b>"
    assert md.link("Act", "https://www.legislation.gov.uk/x") == "[Act](https://www.legislation.gov.uk/x)"


def test_bare_citation_text_is_escaped() -> None:
    assert "<img" not in md.link("<img src=x onerror=alert(1)>", "")


def test_mermaid_labels_drop_directives_and_encode_everything_else() -> None:
    text = label("%%{init: {'theme': 'dark'}}%% Stage 1 <b>x</b> {y} `z` | 50%")
    assert "%%" not in text and "init" not in text
    assert "<b>x" not in text and "{" not in text.strip('"') and "`" not in text
    assert "#37;" in text  # a lone % survives only as an entity


def test_the_navigation_escapes_procedure_titles(tmp_path: Path) -> None:
    from redress.docs.context import load_context

    config = Path(__file__).resolve().parents[2] / "mkdocs.yml"
    nav = repr(site_nav(config, load_context((HOSTILE,))))
    assert "&lt;img src=x onerror=" in nav
    assert "<img" not in nav


def _lint(tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str) -> tuple[int, str]:
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "mine.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/policy.schema.json\n"
        "id: mine\nkind: local\nextends: council-corporate\norganisations: [mine]\n" + body,
        encoding="utf-8")
    code = main(["lint", str(folder)])
    return code, capsys.readouterr().out


def test_a_javascript_citation_link_is_a_lint_error_with_its_position(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _lint(tmp_path, capsys, "sources:\n  s:\n    title: T\n    short: S\n"
                      "    url: \"javascript:alert(1)\"\n")
    assert code == 1
    assert "mine.yaml:10:5: error: 'javascript:alert(1)' is not allowed as a link" in out


def test_a_line_break_in_a_title_is_a_lint_error_with_its_position(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _lint(tmp_path, capsys, 'title: "A title\\n## Forged heading\\n| forged | row |"\n')
    assert code == 1
    assert "mine.yaml:6:1: error: 'A title\\n## Forged heading\\n| forged | row…' must be " \
           "one line of text" in out


def test_an_escape_sequence_in_a_title_is_refused_and_never_printed_raw(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _lint(tmp_path, capsys, 'title: "Council \\e]0;pwned\\a"\n')
    assert code == 1
    assert "\x1b" not in out and "\\x1b]0;pwned\\x07" in out


def test_a_details_summary_holds_its_title_as_text() -> None:
    """Collapsed blocks (worked examples, technical details) have Markdown summaries: a title
    with HTML in it must not become markup."""
    import markdown

    block = md.admonition("example", 'A <img src=x onerror="alert(1)"> *case*', "Body.",
                          collapsible=True)
    html = markdown.markdown(block, extensions=["pymdownx.details"])
    assert "<img" not in html and "&lt;img src=x onerror='alert(1)'&gt; *case*</summary>" in html
