"""Annual and periodic complaint reports computed from evaluated results.

Sits above ``evaluation``; reads result records as plain dictionaries (the result contract),
never through ``caseload``.  ``build.make_report`` makes the report, ``build.render`` writes it
as Markdown, HTML (charts as inline SVG) or JSON; ``engine.Engine`` adds ``report`` to the
public engine.
"""
