"""The libyaml-based loader gives exactly the pure-Python loader's documents — data and every
position — and the same findings, on every YAML file in the repository (policies, rules,
scenarios, examples, lint fixtures), on JSON, and on hand-made problem documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from redress.policy import loader
from redress.policy.loader import StrictLoader, parse_text

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(p for pattern in ("**/*.yaml", "**/*.yml", "**/*.json")
               for p in ROOT.glob(pattern)
               if not any(part.startswith(".") or part in ("node_modules", "site")
                          for part in p.relative_to(ROOT).parts))

PROBLEMS = [
    "a: 1\na: 2\n",                       # duplicate key
    "a: &x 1\nb: *x\n",                   # anchor and alias
    "a: !!python/object:os.system x\n",   # tag
    "<<: {a: 1}\n",                       # merge key
    "? [1, 2]\n: x\n",                    # non-string key
    "1: x\n",
    "a: [1, 2\n",                         # syntax error
    "a: b: c\n",
    "\tx: 1\n",
    "a: yes\nb: true\nc: 2024-02-30\nd: 2024-01-01T10:00\ne: ~\nf: 1.5e3\ng: 0x1f\n",
    "",
    "- a\n- {b: [c, {d: e}]}\n- 'q''uoted'\n- \"esc\\u00e9\"\n- |\n  block\n  text\n",
    "title: \"caf\u00e9 \u2014 x\"\nb: {c: \"\u00e9\", d: 1}\n- x\n",
    "- {\"\U0001F600\": 1, b: [\"\u00a3\", 2, {x: y}]}\n- \u00e9: {q: 1}\n",
    "k: \"\\ud83d\"\n",                      # libyaml refuses a lone surrogate escape
]


def _slow(text: str) -> object:
    return loader._parse(StrictLoader, text, "f.yaml")


@pytest.mark.skipif(not loader._LIBYAML, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("text", PROBLEMS)
def test_problem_documents_read_the_same(text: str) -> None:
    assert parse_text(text, "f.yaml") == _slow(text)


@pytest.mark.skipif(not loader._LIBYAML, reason="PyYAML built without libyaml")
def test_every_repository_file_reads_the_same() -> None:
    assert len(FILES) > 50
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        fast = loader._parse(loader.FastStrictLoader, text, str(path))
        slow = loader._parse(StrictLoader, text, str(path))
        if fast[0] is not None:
            assert fast == slow, path
        assert parse_text(text, str(path)) == slow, path
