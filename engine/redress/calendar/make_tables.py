"""``python -m redress.calendar.make_tables``: rewrite the prebuilt calendar tables.

Run it when ``holidays`` is re-pinned or ``calendar/overrides.json`` changes (see ``tables``);
the contract tests fail until the shipped file equals a fresh build.
"""

from __future__ import annotations

import sys

from redress.calendar.tables import write_tables


def main() -> int:
    print(f"wrote {write_tables()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
