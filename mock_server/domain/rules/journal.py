"""The call journal («журнал звонков») as clients read it: GET /call-records/info, recordings and
transcripts.

The journal's rows, their JSON and links are storage's (storage/journal_tables.py); a company
starts with a seeded history (history.py) and live calls (calls.py) add rows when they end.
Pages are read through the indexes, deep ones found from the hourly roll-ups; recordings and
transcripts are made from a call's row (media/).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, Final

from mock_server.domain.errors import NotFound
from mock_server.domain.media.audio_cache import AudioCache, default_cache_directory
from mock_server.domain.media.recordings import Recording
from mock_server.domain.media.spoken_recordings import Call, CallAudio
from mock_server.domain.rules.call_records import MSG_NO_RECORDING, normalize_filename
from mock_server.domain.rules.numbers import normalize_number, strip_blank
from mock_server.domain.rules.paging import page_request
from mock_server.domain.rules.sorting import Order, parse_sort
from mock_server.domain.storage.journal_tables import install_schema
from mock_server.domain.storage.rollups import HOUR_MS, bucket_counts
from mock_server.domain.storage.store import Store
from mock_server.domain.timeutil import Instant, Window

__all__ = ["SORT_FIELDS", "CallJournal"]

# Response field -> column. Sorting by any of them is allowed; ties go by journal position.
SORT_FIELDS: Final = {
    "date": "started_at",
    "callType": "call_type",
    "destinationNumber": "destination_number",
    "callerNumber": "caller_number",
    "callerName": "caller_name",
    "calleeNumber": "callee_number",
    "calleeName": "callee_name",
    "callDuration": "call_duration",
    "conversationDuration": "conversation_duration",
    "callStatus": "call_status",
    "recordFileName": "record_file_name",
    "uuid": "uuid",
}

MSG_NO_TRANSCRIPT: Final = "No transcript for recording {name!r}"


def _order_by(orders: Sequence[Order], prefix: str = "") -> str:
    """SQL of the orders; ties follow the first order's direction, so that `date,DESC` is the
    time index read backwards and consecutive pages never overlap. `prefix` names the columns
    as a page's subquery gives them (`k0`, `k1`, ...) instead of the table's."""
    terms = [
        f"{f'{prefix}k{index}' if prefix else SORT_FIELDS[o.field]} "
        f"{'DESC' if o.descending else 'ASC'}"
        for index, o in enumerate(orders)
    ]
    terms.append(f"{prefix}id {'DESC' if orders[0].descending else 'ASC'}")
    return ", ".join(terms)


def _number_filter(value: str | None) -> str | None:
    """A `caller`/`callee` filter as the journal stores numbers (D22); blank is no filter (D21):
    `?caller=` arrives as an empty string, which means "any caller", not "calls from nobody"."""
    if value is None or not strip_blank(value):
        return None
    return normalize_number(value)


# Below this offset a page skips index entries faster than the roll-ups could be read.
_SEEK_FROM: Final = 1000


def _count(
    conn: sqlite3.Connection, company_id: int, start_ms: int, end_ms: int, recorded: bool
) -> int:
    sql = "SELECT COUNT(*) FROM calls WHERE company_id = ? AND started_at >= ? AND started_at < ?"
    if recorded:
        sql += " AND record_file_name != ''"
    return int(conn.execute(sql, (company_id, start_ms, end_ms)).fetchone()[0])


def _seek(
    conn: sqlite3.Connection,
    company_id: int,
    start_ms: int,
    end_ms: int,
    offset: int,
    recorded: bool,
    descending: bool,
) -> tuple[int, int, int]:
    """A deep page of the window in time order, found from the hourly roll-ups: the window
    narrowed to start (or, `descending`, end) at the hour the page begins in, and the offset
    left within it. Skips whole hours by their counts instead of skipping their calls one by
    one; rows of one instant never straddle an hour's edge, so the page is the same."""
    first_hour = -(-start_ms // HOUR_MS) * HOUR_MS
    last_hour = end_ms // HOUR_MS * HOUR_MS
    if first_hour >= last_hour:
        return start_ms, end_ms, offset
    near = (last_hour, end_ms) if descending else (start_ms, first_hour)
    remaining = offset - (_count(conn, company_id, *near, recorded) if near[0] < near[1] else 0)
    if remaining < 0:
        return start_ms, end_ms, offset
    figure = "recorded" if recorded else "calls"
    for hour, calls in bucket_counts(conn, company_id, start_ms, end_ms, figure, descending):
        if remaining < calls:
            return (
                (start_ms, hour + HOUR_MS, remaining) if descending else (hour, end_ms, remaining)
            )
        remaining -= calls
    return (start_ms, first_hour, remaining) if descending else (last_hour, end_ms, remaining)


class CallJournal:
    """Reads the journal of a company.

    `settle(company_id)`, when given, is called before every read so that live calls that have
    ended by the mock's clock are in the journal first (`LiveCalls.settle` with the clock's now).
    `audio` makes the recordings and transcripts; by default they are cached beside a state
    file, or in the system's temporary directory for a temporary store.

    Example::

        journal = CallJournal(store, settle=live.settler(clock))
        journal.records(391, start, end, caller="79000258890", sort="date,DESC", size=50)
    """

    def __init__(
        self,
        store: Store,
        settle: Callable[[int], object] | None = None,
        audio: CallAudio | None = None,
    ) -> None:
        self._store = store
        self._settle = settle
        if audio is None:
            state_file = store.path if store.persistent else None
            audio = CallAudio(AudioCache(default_cache_directory(state_file)))
        self.audio = audio
        install_schema(store)

    def _before_read(self, company_id: int) -> None:
        if self._settle is not None:
            self._settle(company_id)

    def records(
        self, company_id: int, start: Instant, end: Instant, **query: Any
    ) -> list[dict[str, Any]]:
        """`records_json`'s page as CallRecord dicts."""
        records: list[dict[str, Any]] = json.loads(
            self.records_json(company_id, start, end, **query)
        )
        return records

    def records_json(
        self,
        company_id: int,
        start: Instant,
        end: Instant,
        *,
        caller: str | None = None,
        callee: str | None = None,
        is_recorded: bool = False,
        page: int | None = None,
        size: int | None = None,
        sort: str | Sequence[str] | None = None,
    ) -> bytes:
        """One page of the calls whose start lies in `[start, end)`: the JSON array of their
        CallRecords (UTF-8); an empty or reversed window has no calls (D18). Each record's JSON
        was written when the call was journalled, so a page costs little more than reading its
        bytes.

        - `caller`: calls from that number; `callee`: calls answered by, or last ringing at,
          that number. Both: the calls from `caller` to `callee` ("only the calls between these
          numbers"), in that direction only: both filters apply, as each does alone, so a client
          wanting the other direction asks again with the numbers swapped. A blank value is no
          filter (D21); `8XXXXXXXXXX` and `+7XXXXXXXXXX` match `7XXXXXXXXXX` (D22).
        - `is_recorded`: only calls with a recording (non-empty `recordFileName`).
        - `page`, `size`: as Spring Data takes them (`paging.py`, D17).
        - `sort`: Spring's sort values on CallRecord fields (`sorting.py`, D23); ties go by
          journal position in the first order's direction, so consecutive pages never overlap.
        """
        window = Window.of(start, end)
        paged = page_request(page, size)
        orders = parse_sort(sort, SORT_FIELDS)
        caller = _number_filter(caller)
        callee = _number_filter(callee)
        self._before_read(company_id)
        if window.is_empty:
            return b"[]"
        conn = self._store.read()
        start_ms, end_ms, offset = window.start_ms, window.end_ms, paged.offset
        descending = orders[0].descending
        if (
            len(orders) == 1
            and orders[0].field == "date"
            and caller is None
            and callee is None
            and offset >= _SEEK_FROM
        ):
            start_ms, end_ms, offset = _seek(
                conn, company_id, start_ms, end_ms, offset, is_recorded, descending
            )
        where = ["company_id = ?", "started_at >= ?", "started_at < ?"]
        params: list[Any] = [company_id, start_ms, end_ms]
        if caller is not None:
            where.append("caller_number = ?")
            params.append(caller)
        if callee is not None:
            where.append("callee_number = ?")
            params.append(callee)
        if is_recorded:
            where.append("record_file_name != ''")
        # The page's ids are found first (from an index alone when the order is the time
        # order), and only those records are read: deep pages skip index entries, not rows.
        keys = ", ".join(f"{SORT_FIELDS[o.field]} AS k{i}" for i, o in enumerate(orders))
        sql = (
            f"SELECT j.body FROM (SELECT id, {keys} FROM calls "
            f"WHERE {' AND '.join(where)} ORDER BY {_order_by(orders)} LIMIT ? OFFSET ?) AS p "
            f"JOIN call_json AS j ON j.id = p.id ORDER BY {_order_by(orders, 'p.')}"
        )
        params += [paged.size, offset]
        cursor = conn.cursor()
        cursor.row_factory = None
        return b"[" + b",".join([row[0] for row in cursor.execute(sql, params)]) + b"]"

    def _find(self, company_id: int, filename: str) -> tuple[Call, bool]:
        """The call a recording name names, and whether its recording has a transcript."""
        name = normalize_filename(filename)
        self._before_read(company_id)
        conn = self._store.read()
        row: sqlite3.Row | None = conn.execute(
            "SELECT conversation_duration, uuid, caller_name, callee_name, has_transcript "
            "FROM calls WHERE company_id = ? AND record_file_name = ? "
            "AND record_file_name != ''",  # so that the partial index calls_by_record serves
            (company_id, name),
        ).fetchone()
        if row is None:
            raise NotFound(MSG_NO_RECORDING.format(name=name))
        said = conn.execute(
            "SELECT audio, transcript, script FROM call_recordings WHERE company_id = ? "
            "AND record_file_name = ?",
            (company_id, name),
        ).fetchone()
        if said is not None and not said["audio"]:
            raise NotFound(MSG_NO_RECORDING.format(name=name))
        script = None
        if said is not None and said["script"] is not None:
            script = tuple(
                (str(channel), None if at is None else float(at), str(text))
                for channel, at, text in json.loads(said["script"])
            )
        call = Call(
            name,
            int(row["conversation_duration"]),
            seed=str(row["uuid"]),
            caller_name=row["caller_name"],
            callee_name=row["callee_name"],
            script=script,
        )
        return call, bool(row["has_transcript"]) and (said is None or bool(said["transcript"]))

    def find_recording(self, company_id: int, filename: str) -> Recording:
        """The recording named by `filename` (single- or double-URL-encoded).

        Raises InvalidInput for anything not shaped `YYYY-MM-DD/<digits>` or
        `YYYY-MM-DD/mo_<digits>`, NotFound for a well-formed name the company does not have.
        """
        call, _ = self._find(company_id, filename)
        return self.audio.recording(call)

    def made_recording(self, company_id: int, filename: str) -> Recording | None:
        """`find_recording`'s recording if it is made already (reading it then costs a file's
        read), None if it is still to be made (a tenth of a second or more of speech).
        Raises as `find_recording`."""
        call, _ = self._find(company_id, filename)
        return self.audio.recording(call) if self.audio.made(call) else None

    def transcript_json(self, company_id: int, filename: str) -> bytes:
        """The JSON array of a recording's SttWords, timed as the words are said in it;
        NotFound when the call has no transcript."""
        call, transcribed = self._find(company_id, filename)
        if not transcribed:
            raise NotFound(MSG_NO_TRANSCRIPT.format(name=call.name))
        return self.audio.transcript_json(call)

    def transcript(self, company_id: int, filename: str) -> list[dict[str, object]]:
        """`transcript_json`'s SttWords as dicts."""
        words: list[dict[str, object]] = json.loads(self.transcript_json(company_id, filename))
        return words

    def count(self, company_id: int) -> int:
        """All calls of the company (for the control API and tests)."""
        self._before_read(company_id)
        row = (
            self._store.read()
            .execute("SELECT COUNT(*) FROM calls WHERE company_id = ?", (company_id,))
            .fetchone()
        )
        return int(row[0])
