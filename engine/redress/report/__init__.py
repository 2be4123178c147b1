"""Annual and periodic complaint reports computed from evaluated results.

Sits above ``evaluation``; the CLI and the HTTP service call it.
"""
