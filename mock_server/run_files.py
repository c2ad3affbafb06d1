"""The files a running mock claims: its ready file, and its state file (through a lock file).

Both are claimed with an advisory lock (`flock`) held for the life of the process. The kernel
drops such a lock when the process ends, however it ends (`kill -9` included), so the lock, not
the pid a file names (a later process may have that pid), tells a running mock's file from one
a dead mock left behind.

- `ReadyFile`: `claim()` at start removes a file left behind and refuses one a running mock
  holds; `publish()` writes the file once the mock serves (a reader sees all of it or no
  file) and keeps it locked; `release()` removes it at exit, if it is still this one.
- `StateFileLock`: the state file's lock file (`<state file>.lock`, holding the pid), taken
  before the database is opened and kept until exit, so that a second mock refuses the file
  in one line instead of reading it half-initialised or silently diverging from the first.
  With `--workers N` the supervisor holds it and its workers share the file under it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final

from mock_server.domain.storage.store import StateFileError

__all__ = ["ReadyFile", "RunFileError", "StateFileLock"]

MSG_READY_HELD: Final = (
    "ready file {path}: in use by the running mock of pid {pid}; stop it or choose another file"
)
MSG_READY_DIRECTORY: Final = "ready file {path}: is a directory, not a file"
MSG_READY_FOLDER: Final = "ready file {path}: folder {folder} does not exist"
MSG_READY_UNREADABLE: Final = "ready file {path}: cannot be read ({reason})"
MSG_READY_UNWRITABLE: Final = "ready file {path}: cannot be written ({reason})"
MSG_STATE_HELD: Final = (
    "state file {path}: in use by the running mock of pid {pid} (its lock file {lock}); "
    "stop it, or give this one another --state-file"
)
MSG_STATE_LOCK: Final = "state file {path}: cannot create its lock file {lock} ({reason})"


class RunFileError(Exception):
    """A file the mock cannot claim; the message names it and says why, in one line."""


def _try_lock(fd: int, operation: int) -> bool:
    """Take the lock without waiting; False if another process holds it."""
    try:
        fcntl.flock(fd, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _pid_in(fd: int) -> str:
    """The pid a claimed file names (its holder wrote it), or a placeholder."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", errors="replace")
        pid = json.loads(text)["pid"] if text.lstrip().startswith("{") else int(text)
    except (OSError, ValueError, KeyError, TypeError):
        return "unknown"
    return str(pid)


def _same_file(path: Path, fd: int) -> bool:
    try:
        named = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


class _Held:
    """A file this process holds locked (`_fd`) at `path`, until `release()`."""

    path: Path
    _fd: int | None = None

    def release(self) -> None:
        """Remove the file this process holds (not one another mock has put there since),
        then drop the lock: removed under the lock, so no other mock can hold it meanwhile."""
        if self._fd is None:
            return
        try:
            if _same_file(self.path, self._fd):
                os.unlink(self.path)
        finally:
            os.close(self._fd)
            self._fd = None


class ReadyFile(_Held):
    """`--ready-file PATH`: the JSON object a script waits for (see the module's docstring).

    Example::

        ready = ReadyFile(Path("mock.json"))
        ready.claim()                       # at start: RunFileError if a running mock holds it
        ready.publish({"port": 8080, ...})  # once serving
        ready.release()                     # at exit
    """

    def __init__(self, path: Path) -> None:
        self.path = path.absolute()
        self._fd: int | None = None

    def claim(self) -> None:
        """Make way for this mock: remove a file no running mock holds, refuse one it does."""
        if self.path.is_dir():
            raise RunFileError(MSG_READY_DIRECTORY.format(path=self.path))
        if not self.path.parent.is_dir():
            raise RunFileError(MSG_READY_FOLDER.format(path=self.path, folder=self.path.parent))
        try:  # the folder takes the file `publish` writes first (said now, not once serving)
            fd, probe = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        os.close(fd)
        os.unlink(probe)
        try:  # not blocking: a FIFO there must not hold the start
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise RunFileError(
                MSG_READY_UNREADABLE.format(path=self.path, reason=exc.strerror or exc)
            ) from exc
        try:
            if not _try_lock(fd, fcntl.LOCK_SH):
                raise RunFileError(MSG_READY_HELD.format(path=self.path, pid=_pid_in(fd)))
            if _same_file(self.path, fd):  # left behind by a mock that is gone
                os.unlink(self.path)
        finally:
            os.close(fd)

    def publish(self, content: dict[str, Any]) -> None:
        """Write `content` as JSON, atomically and without replacing another mock's file: it
        is written and locked under a temporary name, then linked into place (which fails if
        the name exists, e.g. a mock started at the same time published first)."""
        data = (json.dumps(content, indent=2) + "\n").encode()
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        except OSError as exc:
            raise self._unwritable(exc) from exc
        try:
            os.write(fd, data)
            fcntl.flock(fd, fcntl.LOCK_EX)
            while True:
                try:
                    os.link(tmp, self.path)
                    break
                except FileExistsError:
                    self.claim()  # refuses a running mock's file, removes a dead one's
        except BaseException as exc:
            os.close(fd)
            if isinstance(exc, OSError):
                raise self._unwritable(exc) from exc
            raise
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._fd = fd

    def _unwritable(self, exc: OSError) -> RunFileError:
        return RunFileError(MSG_READY_UNWRITABLE.format(path=self.path, reason=exc.strerror or exc))


class StateFileLock(_Held):
    """The lock on a `--state-file` (see the module's docstring).

    Example::

        lock = StateFileLock(Path("state.sqlite3"))
        lock.acquire()   # StateFileError naming the holder's pid if another mock has it
        ...              # open the state file, serve
        lock.release()
    """

    def __init__(self, state_file: Path) -> None:
        self.state_file = state_file
        self.path = state_file.with_name(state_file.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or StateFileError. A missing folder is left to the store to report."""
        if not self.state_file.parent.is_dir():
            return
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise StateFileError(
                    MSG_STATE_LOCK.format(
                        path=self.state_file, lock=self.path, reason=exc.strerror or exc
                    )
                ) from exc
            if not _try_lock(fd, fcntl.LOCK_EX):
                pid = _pid_in(fd)
                os.close(fd)
                raise StateFileError(
                    MSG_STATE_HELD.format(path=self.state_file, pid=pid, lock=self.path)
                )
            if _same_file(self.path, fd):
                break
            os.close(fd)  # removed by a mock that was just ending: lock the new one
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
