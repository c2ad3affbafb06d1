"""Where things are and how hard to try: the default profile (`make contract`) and `deep`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = [
    "API_BASE_PATH",
    "DISCARD_BASE_URL",
    "PROFILES",
    "REFRESH_PATH",
    "ROOT",
    "SPEC_PATH",
    "Profile",
    "profile",
]

ROOT: Final = Path(__file__).resolve().parents[1]
# The spec is always read from the file: the server's copy could have drifted from it.
SPEC_PATH: Final = ROOT / "openapi" / "tele2-ats.yaml"
API_BASE_PATH: Final = "/crm/openapi"
REFRESH_PATH: Final = "/authorization/refresh/token"
# The spec's first server is the production host. Every schema is loaded with this base URL
# instead (port 9, "discard", on loopback), and the real one is set before the first request,
# so a test that forgot to set it fails to connect rather than reaching production.
DISCARD_BASE_URL: Final = "http://127.0.0.1:9" + API_BASE_PATH


@dataclass(frozen=True, slots=True)
class Profile:
    """How many examples each kind of test generates."""

    name: str
    # Schemathesis fuzzing examples per operation (examples and coverage phases come on top).
    inprocess_examples: int
    http_examples: int
    # Hypothesis examples (scenarios) and steps per scenario of the state machines.
    stateful_examples: int
    stateful_steps: int
    # Examples of the targeted property tests of the custom checks.
    targeted_examples: int
    # Fixed for `make contract`, so CI runs are reproducible; None draws a new one (and
    # Schemathesis prints it on failure).
    seed: int | None
    # The seeded journal of the in-process mock.
    history_days: int
    calls_per_day: int
    # The in-process app classes tested (`create_app(kind=...)`; the CLI serves "async").
    app_kinds: tuple[str, ...]


PROFILES: Final = {
    "default": Profile(
        name="default",
        inprocess_examples=40,
        http_examples=15,
        stateful_examples=25,
        stateful_steps=12,
        targeted_examples=15,
        seed=20_261_128,
        history_days=10,
        calls_per_day=30,
        app_kinds=("async", "flask"),
    ),
    "deep": Profile(
        name="deep",
        inprocess_examples=1000,
        http_examples=250,
        stateful_examples=300,
        stateful_steps=30,
        targeted_examples=250,
        seed=None,
        history_days=30,
        calls_per_day=60,
        app_kinds=("async", "flask"),
    ),
}


def profile() -> Profile:
    """The profile named by `CONTRACT_PROFILE` (default: `default`)."""
    name = os.environ.get("CONTRACT_PROFILE", "default")
    try:
        return PROFILES[name]
    except KeyError:
        raise SystemExit(f"CONTRACT_PROFILE={name!r}: expected one of {sorted(PROFILES)}") from None
