"""Reviewer documentation generated from the policies: ``redress docs build``.

One direction of flow, one module per job::

    load_library()           context.py     DocsContext: procedures (versions as typed policies),
                                            rule conditions as written, scenario folder
      │ render               procedure.py   a page per procedure: in brief, exclusions, stages
      │                        flowchart.py   Mermaid source for the stages
      │                        provisions.py  entitlements, ambiguities, versions
      │                        changes.py     "what changed" sentences from two merged dicts
      │                        examples.py    worked examples: scenario tests run through Engine
      │                      overview.py    side-by-side index, partnership protocols
      │                      formats.py     case and result formats from the JSON Schemas
      │                      cli_ref.py     CLI reference from the argparse parsers
      │                      api_ref.py     Python API reference from docstrings (inspect)
      ▼ build                site.py        copy docs/, write the pages, mkdocs build --strict

``markdown.py`` and ``words.py`` hold the Markdown builders and the plain-English vocabulary all
pages share.  The Markdown is rendered by Redress's own code; mkdocs only turns it into HTML.
"""
