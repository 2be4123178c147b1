"""Policies and rules: read (with line marks), validate, merge, compile, and lint.

Imports ``calendar`` and the top-level ``errors``/``findings``/``resources``, never
``evaluation`` or anything above it.  ``loader`` reads YAML keeping positions, ``schema``
validates against ``schemas/``, ``model`` is the compiled form, ``merge`` applies ``extends``,
``policyset`` holds the policies in force, ``rules`` compiles decision rules, ``lint`` and
``checks/`` report findings a policy officer can act on.
"""
