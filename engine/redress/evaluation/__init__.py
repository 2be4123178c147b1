"""One case in, one cited result out.

Imports ``policy`` and ``calendar`` (and the top-level modules), never the CLI, docs or other
consumers.  ``case`` validates a case, ``facts`` flattens it, ``timeline`` replays its events
through the stages, ``deadlines``/``time_limits`` compute every date, ``flagging`` adds
ambiguities and warnings, ``evaluate`` is the ``Engine``, ``result`` is the contract and
``explain`` the plain-English account; ``backends/`` holds the durable-rules and plain deciders.
"""
