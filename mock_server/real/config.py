"""Configuration of a run against the real service, from the environment only.

- `TELE2_ATS_BASE_URL` (`https://ats2.t2.ru/crm/openapi`): the API's base URL; https, or
  http on loopback only.
- `TELE2_ATS_ACCESS_TOKEN`, `TELE2_ATS_REFRESH_TOKEN`: a token pair (the web cabinet's
  «Сгенерировать токен»).
- `TELE2_ATS_TOKEN_FILE` (`.tele2-ats-tokens.json`): where a rotated pair is saved (0600,
  atomically, before it is used); read back first when it holds a newer pair.
- `TELE2_ATS_ALLOW_WRITES` (off): `1` creates, changes and deletes a test manager and a test
  blacklist number (only the run's own).
- `TELE2_ATS_ALLOW_CALLS` (off): `1`, with `TELE2_ATS_CALL_SOURCE` and
  `TELE2_ATS_CALL_DESTINATION`, places one real click-to-call between exactly those numbers.
- `TELE2_ATS_ALLOW_BLACKLIST_CLEAR` (off): the token's `companyId` allows DELETE
  /blacklist/all (the MANUAL entries are restored afterwards).
- `TELE2_ATS_MAX_REQUESTS` (300), `TELE2_ATS_RATE` (2 per second): the run's budget and rate,
  shared by every process of the run.
- `TELE2_ATS_EXAMPLES` (3): Schemathesis examples per operation.
- `TELE2_ATS_OTHER_ACCESS_TOKEN`: an access token of another company, for the tenant probes.
- `CONTRACT_REPORTS_DIR` (`reports/`): JUnit XML, `drift-report.md` and the calibration report.

Relative paths are read from `root`: the checkout for `make contract-real` and `make calibrate`,
the working directory for `tele2-ats-mock calibrate`.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from mock_server.real.tokens import TokenFile, TokenPair, newest

__all__ = ["DEFAULT_BASE_URL", "ConfigError", "RealConfig", "is_loopback_url"]

DEFAULT_BASE_URL: Final = "https://ats2.t2.ru/crm/openapi"
DEFAULT_TOKEN_FILE: Final = ".tele2-ats-tokens.json"
DEFAULT_MAX_REQUESTS: Final = 300
DEFAULT_RATE: Final = 2.0
DEFAULT_EXAMPLES: Final = 3


def is_loopback_url(url: str) -> bool:
    """Whether `url` names a loopback host (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ConfigError(ValueError):
    """A variable holds something unusable; the run stops before any request."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: expected at least {minimum}")
    return value


@dataclass(frozen=True, slots=True)
class RealConfig:
    base_url: str
    access_token: str | None
    refresh_token: str | None
    token_file: Path
    allow_writes: bool
    allow_calls: bool
    call_source: str | None
    call_destination: str | None
    allow_blacklist_clear: int | None
    max_requests: int
    rate: float
    examples: int
    other_access_token: str | None
    reports: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, root: Path | None = None) -> RealConfig:
        env = os.environ if env is None else env
        root = Path.cwd() if root is None else root
        base_url = (env.get("TELE2_ATS_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"TELE2_ATS_BASE_URL={base_url!r}: expected http(s)://host/path")
        if parts.scheme == "http" and not is_loopback_url(base_url):
            raise ConfigError(
                f"TELE2_ATS_BASE_URL={base_url!r}: tokens go over https only (http is for loopback)"
            )
        clear = env.get("TELE2_ATS_ALLOW_BLACKLIST_CLEAR", "").strip()
        if clear and not clear.isdigit():
            raise ConfigError(
                f"TELE2_ATS_ALLOW_BLACKLIST_CLEAR={clear!r}: expected the companyId of the token, "
                "so that clearing is agreed for that one company"
            )
        token_file = Path(env.get("TELE2_ATS_TOKEN_FILE") or DEFAULT_TOKEN_FILE)
        return cls(
            base_url=base_url,
            access_token=env.get("TELE2_ATS_ACCESS_TOKEN") or None,
            refresh_token=env.get("TELE2_ATS_REFRESH_TOKEN") or None,
            token_file=root / token_file,
            allow_writes=_flag(env.get("TELE2_ATS_ALLOW_WRITES")),
            allow_calls=_flag(env.get("TELE2_ATS_ALLOW_CALLS")),
            call_source=env.get("TELE2_ATS_CALL_SOURCE") or None,
            call_destination=env.get("TELE2_ATS_CALL_DESTINATION") or None,
            allow_blacklist_clear=int(clear) if clear else None,
            max_requests=int(
                _number(env, "TELE2_ATS_MAX_REQUESTS", DEFAULT_MAX_REQUESTS, minimum=1)
            ),
            rate=_number(env, "TELE2_ATS_RATE", DEFAULT_RATE, minimum=0.01),
            examples=int(_number(env, "TELE2_ATS_EXAMPLES", DEFAULT_EXAMPLES, minimum=1)),
            other_access_token=env.get("TELE2_ATS_OTHER_ACCESS_TOKEN") or None,
            reports=root / (env.get("CONTRACT_REPORTS_DIR") or "reports"),
        )

    @property
    def is_loopback(self) -> bool:
        return is_loopback_url(self.base_url)

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path.rstrip("/")

    def token_pair(self) -> TokenPair | None:
        """The pair to start with: the environment's or the token file's, whichever was issued
        last (a rotated pair's access token expires later)."""
        from_env = (
            TokenPair(self.access_token, self.refresh_token)
            if self.access_token and self.refresh_token
            else None
        )
        return newest(from_env, TokenFile(self.token_file).read())

    def missing_credentials(self) -> str | None:
        """Why the run cannot start, in one line; None when it can."""
        if self.access_token and self.refresh_token:
            return None
        if self.token_file.exists():
            return None
        return (
            "no credentials: set TELE2_ATS_ACCESS_TOKEN and TELE2_ATS_REFRESH_TOKEN "
            f"(or provide {self.token_file})"
        )
