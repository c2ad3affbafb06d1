"""A bounded cache of rendered recordings on disk, shared by processes.

Speaking a recording costs CPU (a tenth of a second for a typical call, up to a second for a
10-minute one), so a recording is made on its first request and kept. An entry is a directory
named by a key: a hash of everything its files depend on, so any process that finds an entry
may serve it, and entries outlive the process (a restart with the same seed finds them again).

- An entry is written whole into a temporary directory beside the others and renamed into
  place, so nobody ever sees half an entry; when two processes make the same entry at once,
  the first rename wins and the other copy is dropped (both are identical).
- Reading an entry touches it. Each time an entry is written, the least recently used
  others are removed until the entries together hold no more than ``max_bytes`` (the entry
  just made stays, even alone beyond the bound). An entry in use goes too: a request that is
  serving one of its files holds the file open, and an open file is read to its end after its
  name is gone (POSIX); one that finds its entry gone before opening it makes it again
  (``spoken_recordings.CallAudio``). So the bound holds on disk whatever the requests, the
  entries being made at that moment aside (one per process at a time).
- Without a state file the cache lives in the system's temporary directory, with
  ``--state-file`` beside the state file (``state.sqlite3.recordings/``).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["DEFAULT_MAX_BYTES", "AudioCache", "default_cache_directory"]

DEFAULT_MAX_BYTES = 256 * 1024 * 1024
"""About 18 hours of spoken audio (240 kB a minute)."""
_STALE_TEMPORARY_SECONDS = 3600.0
"""A temporary directory this old belongs to a producer that died: removed when evicting."""
_KEY = re.compile(r"[0-9a-f]{16,128}")
_TEMPORARY_PREFIX = ".making-"


def default_cache_directory(state_file: Path | None) -> Path:
    """``<state file>.recordings`` beside a state file; else one directory per user in the
    system's temporary directory, shared by every mock that user runs."""
    if state_file is not None:
        return state_file.with_name(state_file.name + ".recordings")
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"tele2-ats-mock-recordings-{user}"


class AudioCache:
    """Entries (directories of files) by key, made on first use, bounded in total size.

    Example::

        cache = AudioCache(Path("/tmp/recordings"))
        entry = cache.entry("9f2c...", lambda directory: (directory / "a.mp3").write_bytes(b"..."))
        data = (entry / "a.mp3").read_bytes()
    """

    def __init__(self, directory: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        if max_bytes <= 0:
            raise ValueError("max_bytes must be positive")
        self.directory = directory
        self.max_bytes = max_bytes
        self._making = threading.Lock()

    def entry(self, key: str, make: Callable[[Path], None]) -> Path:
        """The directory of entry ``key``; when it does not exist yet, ``make`` fills an empty
        directory with the entry's files first. What ``make`` raises propagates, and nothing
        is kept."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        path = self.directory / key
        if self._touch(path):
            return path
        # One maker per process: a second request for the same entry waits and finds it.
        with self._making:
            if self._touch(path):
                return path
            self.directory.mkdir(parents=True, exist_ok=True)
            making = Path(tempfile.mkdtemp(prefix=_TEMPORARY_PREFIX, dir=self.directory))
            try:
                make(making)
                try:
                    making.rename(path)
                except OSError:
                    if not path.is_dir():
                        raise
                    # another process made the same entry first: keep theirs
            finally:
                if making.exists():
                    shutil.rmtree(making, ignore_errors=True)
            self._evict(keep=path)
        return path

    def has(self, key: str) -> bool:
        """Whether entry ``key`` is made (without using it)."""
        return _KEY.fullmatch(key) is not None and (self.directory / key).is_dir()

    @staticmethod
    def _touch(path: Path) -> bool:
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        return True

    def size(self) -> int:
        """Bytes of all entries (temporary directories included)."""
        return sum(size for _, _, size in self._entries())

    def _entries(self) -> list[tuple[float, Path, int]]:
        entries = []
        try:
            children = list(os.scandir(self.directory))
        except FileNotFoundError:
            return []
        for child in children:
            try:
                if not child.is_dir(follow_symlinks=False):
                    continue
                used = child.stat().st_mtime
                size = sum(
                    f.stat().st_size for f in os.scandir(child) if f.is_file(follow_symlinks=False)
                )
            except FileNotFoundError:  # removed meanwhile by another process
                continue
            entries.append((used, Path(child.path), size))
        return entries

    def _evict(self, keep: Path) -> None:
        """Remove the least recently used entries but `keep` until the rest fit in
        max_bytes, and temporary directories left by makers that died."""
        now = time.time()
        entries = sorted(self._entries())
        total = sum(size for _, _, size in entries)
        for used, path, size in entries:
            temporary = path.name.startswith(_TEMPORARY_PREFIX)
            if temporary and now - used < _STALE_TEMPORARY_SECONDS:
                continue  # another process is making it
            if not temporary and (total <= self.max_bytes or path == keep):
                continue
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(path)
            total -= size
