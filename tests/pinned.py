"""The instant the test suite runs at: the mock clock is pinned, never the wall date.

Every test PBX (and every mock process the tests start) starts frozen at `PINNED_NOW`, so the
seeded journal, token expiry and live calls are the same on any day the suite runs. The
`TELE2_ATS_TEST_NOW` environment variable pins another instant: `make test-dates` runs the
seeded-data and API invariants at a weekend, a month's last day, 31 December and 29 February,
so that a date bug shows the day it is written.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from mock_server.domain.pbx import PbxConfig
from mock_server.domain.timeutil import parse_instant

__all__ = ["PINNED_ARGS", "PINNED_NOW", "pinned_config"]

# A Wednesday afternoon in Moscow: the three days of history before it are working days.
DEFAULT_NOW = "2026-03-04T15:00:00+03:00"
PINNED_NOW: datetime = parse_instant(os.environ.get("TELE2_ATS_TEST_NOW") or DEFAULT_NOW, "now")
# The command-line options that pin a mock process the same way.
PINNED_ARGS: tuple[str, ...] = ("--now", PINNED_NOW.isoformat(), "--frozen")


def pinned_config(**settings: Any) -> PbxConfig:
    """A PbxConfig frozen at PINNED_NOW; `settings` are PbxConfig's other fields."""
    return PbxConfig(now=PINNED_NOW, frozen=True, **settings)
