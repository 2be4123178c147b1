"""The durable-rules backend, behind guards for every hazard measured in
``shared/reference/engine-notes.md`` part 1 (durable-rules 2.0.28):

* a **private host** whose ``_run`` does nothing — the default host starts timer threads that
  race with our calls and crash after out-of-order session deletes;
* **alpha-only conditions** (constants on the right; no joins, no arithmetic), compiled from
  the normal form in ``redress.policy.conditions``; every rule also tests ``kind == 'case'`` so that no
  pattern can match the engine's own state fact;
* a **sentinel rule** matching every case, so at least one action runs in every session —
  deleting a session where no action ran frees uninitialised memory;
* **one session per case, always deleted** (the C core caps live sessions at 1,024);
* facts asserted through the C API's ``assert_facts``, and the session's actions then taken
  straight from the C core (``start_action_for_state`` / ``complete_and_start_action``)
  whatever the result code: the public host raises before running actions, and its Python
  actions decode and re-encode the session state as JSON for every rule that fires, which our
  actions never change (the rule names are all we read);
* only the facts the program's conditions test are asserted (every one of them that is given, so
  matching is unchanged; the others never reach the C core): a smaller JSON fact to parse;
* the facts sent validated first: only bool/int/float/str values, under the 252-property limit,
  dumped with ``ensure_ascii=False`` like the rule side;
* errors from the C core re-raised as ``RuleExecutionError`` (no Python action runs, so none
  can be swallowed);
* ``any``/``$or`` branches that both match fire a rule twice, so fired ids are de-duplicated;
* a **lock** around each evaluation: the C core is not thread-safe and never releases the GIL;
* ``durable.engine._unix_now`` replaced by ``time.time`` (its ``utcfromtimestamp`` warns on every
  action from Python 3.12, which breaks ``-W error``).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import durable.engine as durable_engine
import durable_rules_engine

from redress.errors import RuleExecutionError
from redress.policy.conditions import AllOf, Condition, Leaf, leaves
from redress.policy.rules import RuleProgram

durable_engine._unix_now = time.time  # only differences of it are used; see module docstring

MAX_PROPERTIES = 240      # the C parser fails past 252 properties; keep a margin for sid/id/kind
SENTINEL = "$sentinel"
SENTINEL_PRIORITY = 64999  # priorities must stay in 0..64999 (negative sorts last)
# Cases decided in one session by fire_many.  Each is one fact of the session; its id f0..fN has a
# distinct 32-bit hash (the C core tells facts apart by hash only), and the whole batch is one
# assert_facts call followed by its actions, then one delete_state.
SESSION_FACTS = 256
_OPS = {"neq": "$neq", "gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}


class _PrivateHost(durable_engine.Host):  # type: ignore[misc]
    """A host with no background dispatcher or timer threads."""

    def _run(self) -> None:
        return None


def alpha_expression(cond: Condition) -> dict[str, Any] | None:
    """The durable-rules alpha expression for a normal-form condition (None for 'always')."""
    if isinstance(cond, Leaf):
        if cond.op == "eq":
            return {cond.key: cond.value}
        return {_OPS[cond.op]: {cond.key: cond.value}}
    parts = [p for p in (alpha_expression(c) for c in cond.items) if p is not None]
    if isinstance(cond, AllOf):
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else {"$and": parts}
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _pattern(cond: Condition) -> dict[str, Any]:
    expr = alpha_expression(cond)
    terms: list[dict[str, Any]] = [{"kind": "case"}]
    if expr is not None:
        terms.append(expr)
    return {"m": {"$and": terms}}


class DurableBackend:
    """Fires a RuleProgram through durable-rules; one private host and C ruleset per program."""

    name = "durable"
    _names = itertools.count(1)

    def __init__(self, program: RuleProgram) -> None:
        self._program = program
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._in_use = False
        self._ruleset_name = f"redress_{program.ruleset}_{next(self._names)}"
        # Every flat key a condition tests, in first-use order: all a session needs.
        self._keys = tuple(dict.fromkeys(
            leaf.key for rule in program.rules for leaf in leaves(rule.condition)))
        self._rule_ids = {f"r{index}": rule.id for index, rule in enumerate(program.rules)}
        self._order = {rule.id: index for index, rule in enumerate(program.rules)}
        host = _PrivateHost()
        host.register_rulesets({self._ruleset_name: self._definition()})
        self._ruleset = host.get_ruleset(self._ruleset_name)
        self._closed = False

    def _definition(self) -> dict[str, Any]:
        # A fresh dict every time: durable-rules deletes 'run' from the dict it is given.
        rules: dict[str, Any] = {}
        for index, rule in enumerate(self._program.rules):
            rules[f"r{index}"] = {"all": [_pattern(rule.condition)],
                                  "pri": min(max(rule.priority, 0), SENTINEL_PRIORITY - 1),
                                  "run": self._action(rule.id)}
        rules[SENTINEL] = {"all": [{"m": {"$and": [{"kind": "case"}]}}],
                           "pri": SENTINEL_PRIORITY, "run": self._action(None)}
        return rules

    @staticmethod
    def _action(_rule_id: str | None) -> Callable[[Any], None]:
        # Registered because durable-rules wants one per rule; never called (see _run_session).
        def run(_closure: Any) -> None:
            return None
        return run

    @contextmanager
    def _exclusive(self, name: str) -> Iterator[None]:
        """The one session at a time: a second caller (or a closed backend) is an error."""
        with self._lock:
            if self._in_use:
                raise RuntimeError(f"DurableBackend.{name} is not re-entrant")
            if self._closed:
                raise RuntimeError("DurableBackend is closed")
            self._in_use = True
            try:
                yield
            finally:
                self._in_use = False

    def fire(self, facts: Mapping[str, Any]) -> list[str]:
        fact = _checked_fact({key: facts[key] for key in self._keys if key in facts})
        with self._exclusive("fire"):
            return self._run_session(f"case-{next(self._sids)}", fact)

    def fire_many(self, batch: Sequence[Mapping[str, Any]]) -> list[list[str]]:
        """``fire`` for many cases in one session: each case's facts are one fact of the
        session, named ``f0``, ``f1``, … (ids whose 32-bit hashes differ, see the module
        docstring), so one session's set-up and deletion serve the whole batch."""
        if not batch:
            return []
        facts = [_checked_fact({key: facts[key] for key in self._keys if key in facts})
                 for facts in batch]
        found: list[list[str]] = []
        with self._exclusive("fire_many"):
            for start in range(0, len(facts), SESSION_FACTS):
                sid = f"batch-{next(self._sids)}"
                found.extend(self._run_batch(sid, facts[start:start + SESSION_FACTS]))
        return found

    def _run_batch(self, sid: str, facts: Sequence[dict[str, Any]]) -> list[list[str]]:
        messages = [{"id": f"f{i}", **fact, "sid": sid, "kind": "case"}
                    for i, fact in enumerate(facts)]
        handle = self._ruleset._handle
        names: list[list[str]] = [[] for _ in facts]
        try:
            _code, offset = durable_rules_engine.assert_facts(
                handle, json.dumps(messages, ensure_ascii=False))
            started = durable_rules_engine.start_action_for_state(handle, offset)
            action = started[1] if started else None
            while action:
                name, index = _action_fact(action)
                names[index].append(name)
                action = durable_rules_engine.complete_and_start_action(handle, offset)
        except Exception as exc:
            raise RuleExecutionError("<durable-rules>", exc) from exc
        finally:
            self._ruleset.delete_state(sid)
        return [self._in_order(fired) for fired in names]

    def _in_order(self, names: list[str]) -> list[str]:
        fired = (self._rule_ids[name] for name in names if name in self._rule_ids)
        return sorted(dict.fromkeys(fired), key=self._order.__getitem__)

    def _run_session(self, sid: str, fact: dict[str, Any]) -> list[str]:
        message = dict(fact, id="case", sid=sid, kind="case")
        handle = self._ruleset._handle
        names: list[str] = []
        try:
            _code, offset = durable_rules_engine.assert_facts(
                handle, json.dumps([message], ensure_ascii=False))
            started = durable_rules_engine.start_action_for_state(handle, offset)
            action = started[1] if started else None
            while action:  # '{"r3":{"m":{...}}}': the fired rule's name is the only key
                names.append(_action_name(action))
                action = durable_rules_engine.complete_and_start_action(handle, offset)
        except Exception as exc:
            raise RuleExecutionError("<durable-rules>", exc) from exc
        finally:
            self._ruleset.delete_state(sid)
        return self._in_order(names)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                durable_rules_engine.delete_ruleset(self._ruleset._handle)
                self._closed = True


def _checked_fact(facts: Mapping[str, Any]) -> dict[str, Any]:
    if len(facts) > MAX_PROPERTIES:
        raise ValueError(f"{len(facts)} facts exceed durable-rules' limit of {MAX_PROPERTIES}")
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if not isinstance(value, bool | int | float | str):
            raise TypeError(f"fact {key!r} has unsupported type {type(value).__name__}")
        out[key] = value
    return out


def _action_fact(action: str) -> tuple[str, int]:
    """The rule name of an action message and the index of the session fact it fired on.

    The action holds the fact as it was asserted (``{"r3":{"m":{"id": "f7", …}}}``: the id is
    asserted first); anything else is decoded in full.
    """
    name = _action_name(action)
    head = f'{{"{name}":{{"m":{{"id": "f'
    if action.startswith(head):
        end = action.find('"', len(head))
        digits = action[len(head):end]
        if digits.isdigit():
            return name, int(digits)
    fact = json.loads(action)[name]
    return name, int(str(next(iter(fact.values()))["id"])[1:])


def _action_name(action: str) -> str:
    """The rule name of an action message, read without decoding the whole fact."""
    if action.startswith('{"'):
        end = action.find('"', 2)
        name = action[2:end]
        if end > 2 and "\\" not in name:  # our names (r0, r1, ..., $sentinel) need no escapes
            return name
    return str(next(iter(json.loads(action))))
