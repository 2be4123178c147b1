"""Caseloads: many cases at once (batch, resume, what-if over a changed policy set).

Sits above ``evaluation``; the CLI and the HTTP service call it.
"""
