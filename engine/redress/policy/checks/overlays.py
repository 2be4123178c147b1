"""A local policy that departs from the law or the Code it extends (``local-departure``).

Each version of a ``kind: local`` policy (or of any policy from outside the bundled set that
extends another) is compared with the same version of the policy it extends
(:func:`redress.policy.departures.departures`).  A departure from a legal maximum, legal minimum
or legal requirement is an error, from a Code requirement a warning, each naming the provision,
unless the local policy records why with ``departs_from: {provision, reason}``.  A recorded
departure that matches no change, and a ``nature`` written in a local policy (the law or the
Code decides it, not the council), are warnings.
"""

from __future__ import annotations

from collections.abc import Iterator

from redress.findings import Finding, Path, Severity
from redress.policy.departures import Departure, departures, elements, recorded_departures
from redress.policy.policyset import LoadedPolicies, Resolved, ResolvedPolicy, is_bundled

CHECK_ID = "local-departure"


def local_departures(loaded: LoadedPolicies) -> Iterator[Finding]:
    for policy in loaded.valid_policies():
        parent = loaded.policies.get(policy.extends or "")
        if parent is None or not parent.valid or not _overlay(policy):
            continue
        used: set[Path] = set()
        for local, extended in _pairs(policy, parent):
            for departure in departures(local.data, extended.data):
                if departure.recorded_at is not None:
                    used.add(departure.recorded_at)
                else:
                    yield _finding(policy, local, departure)
        yield from _unused(policy, used)
        yield from _natures(policy)


def _overlay(policy: ResolvedPolicy) -> bool:
    """A body's own policy: ``kind: local``, or any policy from outside the bundled set that
    extends another (the bundled templates extend procedures of other regimes on purpose)."""
    return policy.kind == "local" or not is_bundled(policy.document.file)


def _pairs(policy: ResolvedPolicy,
           parent: ResolvedPolicy) -> Iterator[tuple[Resolved, Resolved]]:
    """The local policy's text and each version, with the extended policy's counterpart."""
    yield policy.base, parent.base
    theirs = {v.version_id: v for v in parent.versions}
    for version in policy.versions:
        yield version, theirs.get(version.version_id, parent.base)


def _finding(policy: ResolvedPolicy, local: Resolved, departure: Departure) -> Finding:
    removed = departure.change == "removed"
    path = departure.path if removed else (*departure.path, "period")
    record = (f"add to {departure.what}: departs_from: " if not removed
              else "add to the policy's top-level departs_from list: ")
    finding = Finding(
        CHECK_ID, departure.sentence(), path,
        Severity.ERROR if departure.statutory else Severity.WARNING,
        hint=f"if this is deliberate, say why: {record}"
             f"{{provision: '{departure.provision}', reason: …}}")
    if removed and path in policy.document.positions:  # a null written in the local file
        return policy.document.locate(finding)
    return local.locate(finding)


def _unused(policy: ResolvedPolicy, used: set[Path]) -> Iterator[Finding]:
    own = policy.document
    for where, entry in recorded_departures(policy.base.data):
        if where in used or where not in own.positions:
            continue
        yield own.locate(Finding(
            CHECK_ID,
            f"departs_from names '{entry.get('provision')}', but this policy does not depart "
            "from a statutory or Code provision there", where, Severity.WARNING,
            hint="name the provision as the bundled policy cites it (e.g. 'LGSCO Code 6.3'), "
                 "or remove the entry"))


def _natures(policy: ResolvedPolicy) -> Iterator[Finding]:
    own = policy.document
    for element in elements(policy.base.data):
        path = (*element.path, "nature")
        if path in own.positions:
            yield own.locate(Finding(
                CHECK_ID,
                f"a local policy does not set the nature of {element.label}: it is the law's "
                "or the Code's, and lint compares with the policy this one extends", path,
                Severity.WARNING, hint="remove 'nature' here"))
