"""The run's one `RealSession`, built on first use from the environment."""

from __future__ import annotations

from functools import cache

from contract_tests.real.session import RealSession
from contract_tests.settings import ROOT
from mock_server.real.config import RealConfig

__all__ = ["session", "started"]

_started: list[RealSession] = []


@cache
def session() -> RealSession:
    created = RealSession.create(RealConfig.from_env(root=ROOT))
    _started.append(created)
    return created


def started() -> RealSession | None:
    """The session if this process built one."""
    return _started[0] if _started else None
