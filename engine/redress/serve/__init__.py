"""The HTTP JSON service (``redress serve``) for case-management systems.

Sits above ``evaluation``; only the CLI starts it.
"""
