"""A local policy keeps its own edits in every version it inherits from the policy it extends."""

from __future__ import annotations

from pathlib import Path

from redress.policy.policyset import load_policy_set

LOCAL = """# yaml-language-server: $schema=../../schemas/policy.schema.json
id: testshire-corporate
kind: local
extends: council-corporate
title: Testshire corporate complaints
organisations: [testshire]
sources:
  testshire: {title: Testshire complaints policy, short: Testshire policy, url: "https://testshire.example/complaints"}
stages:
  stage1:
    deadlines:
      acknowledge:
        period: {working_days: 2}
        citation: {source: testshire, provision: para 3}
"""


def test_local_edits_win_over_an_inherited_versions_changes(tmp_path: Path) -> None:
    path = tmp_path / "testshire.yaml"
    path.write_text(LOCAL, encoding="utf-8")
    loaded, findings = load_policy_set([path])
    assert not [f for f in findings if f.is_error and f.file == str(path)]
    policy = loaded.policies["testshire-corporate"]
    assert len(policy.versions) >= 2  # inherited: the Code and the practice before it
    for version in policy.versions:
        ack = version.data["stages"]["stage1"]["deadlines"]["acknowledge"]
        assert ack["period"] == {"working_days": 2}, version.version_id
        assert ack["citation"]["source"] == "testshire"
