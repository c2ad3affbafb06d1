"""`tele2-ats-mock` (and `python -m mock_server`): the frameworks checked, then the command.

Importing the command (`cli.py`) imports the compat modules, which refuse a framework version
they were not written for (`frameworks.py`); here that refusal is one line on stderr and exit
status 2, as any other problem the mock finds before it serves, instead of a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from mock_server.frameworks import UnsupportedFramework

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["calibrate"]:
        from mock_server.calibrate.command import main as calibrate

        return calibrate(args[1:])
    try:
        from mock_server import cli
    except UnsupportedFramework as exc:
        print(f"tele2-ats-mock: {exc}", file=sys.stderr)
        return 2
    return cli.main(argv)
