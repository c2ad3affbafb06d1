"""The bounded on-disk cache of rendered recordings."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mock_server.domain.media.audio_cache import AudioCache, default_cache_directory
from mock_server.domain.rules.journal import CallJournal
from mock_server.domain.storage.store import Store

KEY = "0123456789abcdef0123456789abcdef"


def key(number: int) -> str:
    return f"{number:032x}"


def writer(size: int, calls: list[Path] | None = None) -> Callable[[Path], None]:
    def make(directory: Path) -> None:
        if calls is not None:
            calls.append(directory)
        (directory / "audio.mp3").write_bytes(b"x" * size)

    return make


def age(path: Path, seconds: float) -> None:
    """Make ``path`` look last used ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_an_entry_is_made_once_then_found(tmp_path: Path) -> None:
    calls: list[Path] = []
    cache = AudioCache(tmp_path)

    first = cache.entry(KEY, writer(10, calls))
    second = cache.entry(KEY, writer(10, calls))
    other_process = AudioCache(tmp_path).entry(KEY, writer(10, calls))

    assert first == second == other_process == tmp_path / KEY
    assert len(calls) == 1
    assert (first / "audio.mp3").read_bytes() == b"x" * 10
    assert cache.size() == 10


def test_a_failed_make_leaves_nothing_behind(tmp_path: Path) -> None:
    def fail(directory: Path) -> None:
        (directory / "audio.mp3").write_bytes(b"half")
        raise RuntimeError("speech failed")

    cache = AudioCache(tmp_path)
    with pytest.raises(RuntimeError, match="speech failed"):
        cache.entry(KEY, fail)

    assert list(tmp_path.iterdir()) == []


def test_an_entry_made_meanwhile_by_another_process_wins(tmp_path: Path) -> None:
    def race(directory: Path) -> None:
        AudioCache(tmp_path).entry(KEY, writer(3))
        (directory / "audio.mp3").write_bytes(b"mine")

    entry = AudioCache(tmp_path).entry(KEY, race)

    assert (entry / "audio.mp3").read_bytes() == b"xxx"
    assert [p.name for p in tmp_path.iterdir()] == [KEY]


def test_the_least_recently_used_entries_go_beyond_the_bound(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, max_bytes=250)
    for number, seconds_ago in ((1, 50), (2, 40), (3, 30)):
        age(cache.entry(key(number), writer(100)), seconds_ago)
    age(cache.entry(key(1), writer(100)), 10)  # used again: now the most recent of the three

    cache.entry(key(4), writer(100))

    assert sorted(p.name for p in tmp_path.iterdir()) == [key(1), key(4)]
    assert cache.size() == 200


def test_the_bound_holds_when_an_entry_is_written_however_recent_the_others(
    tmp_path: Path,
) -> None:
    # Issue 22: entries used in the last minute were kept, so ten recordings made at once
    # stayed beyond the bound until a recording was made a minute later.
    cache = AudioCache(tmp_path, max_bytes=250)

    for number in range(10):
        cache.entry(key(number), writer(100))
        assert cache.size() <= 250

    assert sorted(p.name for p in tmp_path.iterdir()) == [key(8), key(9)]


def test_a_file_open_before_its_entry_goes_is_read_to_its_end(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, max_bytes=150)
    with (cache.entry(key(1), writer(100)) / "audio.mp3").open("rb") as reading:
        cache.entry(key(2), writer(100))  # written: key 1 goes
        assert not (tmp_path / key(1)).exists()
        assert reading.read() == b"x" * 100


def test_the_entry_just_made_is_kept_even_when_alone_beyond_the_bound(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path, max_bytes=10)

    entry = cache.entry(KEY, writer(100))

    assert entry.is_dir()


@pytest.mark.parametrize("bad", ["", "../etc", "ABCDEF0123456789", "0123"])
def test_keys_are_lower_case_hex(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="key"):
        AudioCache(tmp_path).entry(bad, writer(1))


def test_the_cache_lives_beside_a_state_file_else_in_the_temporary_directory(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "state.sqlite3"

    assert default_cache_directory(state_file) == tmp_path / "state.sqlite3.recordings"
    assert default_cache_directory(None).parent == Path(tempfile.gettempdir())


def test_the_journal_keeps_recordings_beside_its_state_file(tmp_path: Path) -> None:
    persistent = Store(tmp_path / "state.sqlite3")
    temporary = Store()
    try:
        assert CallJournal(persistent).audio.cache.directory == tmp_path / (
            "state.sqlite3.recordings"
        )
        assert CallJournal(temporary).audio.cache.directory == default_cache_directory(None)
    finally:
        persistent.close()
        temporary.close()
