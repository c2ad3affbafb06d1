"""Token pairs as the tests hold them: refresh on expiry, never lose a rotated pair.

A refresh kills the old pair, refresh token included, so the new pair is the only way back in:
losing it locks the user out until a person generates a new pair in the web cabinet. Hence:

- `TokenFile` writes a pair atomically (temporary file, fsync, rename) with mode 0600, and the
  new pair is written before anything uses it;
- `TokenManager.recover` refreshes only when the access token has expired (as judged by the
  caller's `is_expired`), never merely because a request was refused, and first re-reads the
  file, since another process may have refreshed already (the old pair then answers "The token
  has already been updated");
- refreshes of processes sharing a token file are serialised by a lock file beside it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

__all__ = [
    "TokenFile",
    "TokenManager",
    "TokenPair",
    "TokenRecoveryError",
    "claims_of",
    "expiry_of",
    "newest",
]


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TokenPair:
        access, refresh = data.get("accessToken"), data.get("refreshToken")
        if not isinstance(access, str) or not isinstance(refresh, str) or not access or not refresh:
            raise ValueError("expected {accessToken, refreshToken} strings")
        return cls(access, refresh)

    def to_json(self) -> dict[str, str]:
        return {"accessToken": self.access_token, "refreshToken": self.refresh_token}

    @property
    def access_expiry(self) -> float:
        return expiry_of(self.access_token) or 0.0

    def __repr__(self) -> str:  # never print a token
        return f"TokenPair(access exp={self.access_expiry:.0f}, refresh=[REDACTED])"


def claims_of(token: str) -> dict[str, Any]:
    """The claims of a JWT, read without checking its signature (it is not ours to check)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token, options={"verify_signature": False, "verify_exp": False}
        )
    except jwt.PyJWTError:
        return {}
    return claims


def expiry_of(token: str) -> float | None:
    """The `exp` claim of a JWT (Unix seconds), or None when it has none."""
    exp = claims_of(token).get("exp")
    return float(exp) if isinstance(exp, int | float) else None


class TokenFile:
    """A token pair on disk: `{"accessToken", "refreshToken", "savedAt"}`, mode 0600."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> TokenPair | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise TokenRecoveryError(f"token file {self.path} is unreadable: {exc}") from exc
        try:
            return TokenPair.from_json(data)
        except ValueError as exc:
            raise TokenRecoveryError(f"token file {self.path}: {exc}") from exc

    def write(self, pair: TokenPair) -> None:
        """Replace the file atomically; a crash leaves the old pair or the new, never half."""
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        data = json.dumps({**pair.to_json(), "savedAt": int(time.time())}, indent=2) + "\n"
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=directory)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock file beside the token file (between processes and threads)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class TokenRecoveryError(Exception):
    """The pair cannot be used or renewed; a person must generate a new pair."""


def newest(*pairs: TokenPair | None) -> TokenPair | None:
    """The pair issued last: a rotated pair's access token always expires later."""
    candidates = [pair for pair in pairs if pair is not None]
    return max(candidates, key=lambda pair: pair.access_expiry, default=None)


class TokenManager:
    """The current pair of one user, renewed when the server refuses an expired token.

    - `refresh(refresh_token)` exchanges a refresh token for a new pair (the API's PUT
      /authorization/refresh/token) and raises `TokenRecoveryError` when the server refuses.
    - `is_expired(access_token)` says whether the access token is past its lifetime, by the
      server's clock as far as the caller can tell.
    - `reissue()`, when given (the mock's control API), generates a brand-new pair when the
      refresh token is dead too; without it that is the end (`TokenRecoveryError`).
    """

    def __init__(
        self,
        pair: TokenPair,
        *,
        refresh: Callable[[str], TokenPair],
        is_expired: Callable[[str], bool],
        token_file: TokenFile | None = None,
        reissue: Callable[[], TokenPair] | None = None,
    ) -> None:
        self._pair = pair
        self._refresh = refresh
        self._is_expired = is_expired
        self._file = token_file
        self._reissue = reissue
        self._lock = threading.RLock()
        self.refreshes = 0
        self.reissues = 0
        self.adoptions = 0

    @property
    def pair(self) -> TokenPair:
        return self._pair

    @property
    def access_token(self) -> str:
        return self._pair.access_token

    @property
    def refresh_token(self) -> str:
        return self._pair.refresh_token

    def _file_lock(self) -> contextlib.AbstractContextManager[None]:
        return self._file.locked() if self._file is not None else contextlib.nullcontext()

    def ensure_saved(self) -> None:
        """Write the current pair to the token file (proves it is writable before a refresh)."""
        if self._file is None:
            return
        with self._lock, self._file_lock():
            on_disk = self._file.read()
            if on_disk is not None and newest(on_disk, self._pair) is on_disk:
                if on_disk != self._pair:
                    self._pair = on_disk
                    self.adoptions += 1
                return
            self._file.write(self._pair)

    def recover(self, refused: str | None = None) -> TokenPair:
        """Called after the server refused access token `refused` (None: the current one).

        Adopts a newer pair from the token file if another process refreshed; else refreshes
        if, and only if, the access token has expired; else keeps the pair (the refusal was
        about something else, and refreshing would not help).
        """
        with self._lock, self._file_lock():
            if refused is not None and refused != self._pair.access_token:
                return self._pair  # someone already recovered from this refusal
            on_disk = self._file.read() if self._file is not None else None
            if (
                on_disk is not None
                and on_disk != self._pair
                and newest(on_disk, self._pair) is on_disk
            ):
                self._pair = on_disk
                self.adoptions += 1
                return self._pair
            if not self._is_expired(self._pair.access_token):
                return self._pair
            try:
                new_pair = self._refresh(self._pair.refresh_token)
                self.refreshes += 1
            except TokenRecoveryError:
                if self._reissue is None:
                    raise
                new_pair = self._reissue()
                self.reissues += 1
            if self._file is not None:
                # Before the pair is used: the old one is dead already.
                self._file.write(new_pair)
            self._pair = new_pair
            return new_pair

    def replace(self, pair: TokenPair) -> None:
        """Take a pair obtained elsewhere (a refresh the tests made themselves)."""
        with self._lock, self._file_lock():
            if self._file is not None:
                self._file.write(pair)
            self._pair = pair
