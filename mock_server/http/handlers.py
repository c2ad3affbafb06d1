"""Handlers of the documented API: translate HTTP to domain calls and back, nothing more.

Each public method is named after an operationId of openapi/tele2-ats.yaml, in snake_case;
the app's resolver finds them by that name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import flask
from connexion import request
from connexion.datastructures import NoContent
from connexion.lifecycle import ConnexionResponse
from starlette.responses import StreamingResponse

from mock_server.domain.errors import RangeNotSatisfiable
from mock_server.domain.media.recordings import RangeNotSatisfiable as UnsatisfiableRange
from mock_server.domain.media.recordings import Recording, parse_range
from mock_server.domain.pbx import Pbx
from mock_server.domain.rules.tokens import Principal
from mock_server.domain.timeutil import parse_epoch_ms
from mock_server.http.security import TOKEN_INFO_PRINCIPAL, TOKEN_INFO_TOKEN

__all__ = ["STREAMERS", "ApiHandlers", "Streamer"]

Json = dict[str, Any] | list[Any] | str
TokenInfo = dict[str, Any]
AUDIO_MPEG = "audio/mpeg"
APPLICATION_JSON = "application/json"
# An answer of a recording up to this size (ten minutes of a call) is read whole, on the event
# loop when the recording is made; a larger one is streamed from its file in chunks, so that a
# download holds one chunk in memory, not the recording (a 4-hour call is 57 MB).
QUICK_READ_BYTES = 2_500_000
STREAM_CHUNK_BYTES = 256 * 1024

# How an app class sends a body in chunks: (chunks, status, headers) -> the framework's answer.
Streamer = Callable[[Iterator[bytes], int, dict[str, str]], Any]


def _starlette_stream(chunks: Iterator[bytes], status: int, headers: dict[str, str]) -> Any:
    return StreamingResponse(chunks, status_code=status, headers=headers)


def _flask_stream(chunks: Iterator[bytes], status: int, headers: dict[str, str]) -> Any:
    return flask.Response(chunks, status=status, headers=headers, direct_passthrough=True)


STREAMERS: dict[str, Streamer] = {"async": _starlette_stream, "flask": _flask_stream}


def _company(token_info: TokenInfo) -> int:
    principal: Principal = token_info[TOKEN_INFO_PRINCIPAL]
    return principal.company_id


def _recording_answer(recording: Recording, stream: Streamer) -> Any:
    """The recording, or the byte range the request's Range header asks for: read whole up to
    QUICK_READ_BYTES, else streamed from the recording (`stream`)."""
    try:
        # Connexion validates header parameters but hands only path, query and body to
        # handlers, so the Range header is read from the request itself.
        byte_range = parse_range(request.headers.get("Range"), recording.size)
    except UnsatisfiableRange as exc:
        raise RangeNotSatisfiable(f"Header 'Range': {exc}", recording.size) from exc
    headers = {
        # The operation declares JSON errors beside audio, so the answer names its type.
        "Content-Type": AUDIO_MPEG,
        "Accept-Ranges": "bytes",
        "Content-Disposition": f'attachment; filename="{recording.download_filename}"',
    }
    status = 200
    first, last = 0, recording.size - 1
    if byte_range is not None:
        status = 206
        first, last = byte_range
        headers["Content-Range"] = f"bytes {first}-{last}/{recording.size}"
    if last - first + 1 <= QUICK_READ_BYTES:
        return recording.read(first, last), status, headers
    headers["Content-Length"] = str(last - first + 1)
    return stream(recording.iter_bytes(first, last, STREAM_CHUNK_BYTES), status, headers)


class ApiHandlers:
    """`stream` sends a long recording in chunks (STREAMERS, by app class)."""

    def __init__(self, pbx: Pbx, stream: Streamer = _starlette_stream) -> None:
        self.pbx = pbx
        self.stream = stream

    # Authorization
    def refresh_token(self, token_info: TokenInfo) -> Json:
        # The security handler has checked the refresh token; the refresh re-checks it inside
        # the transaction that rotates the pair, so two concurrent refreshes cannot both win.
        return self.pbx.tokens.refresh(token_info[TOKEN_INFO_TOKEN]).to_json()

    # Monitoring
    def get_current_calls(self, token_info: TokenInfo) -> Json:
        company = _company(token_info)
        return self.pbx.calls.current(company, self.pbx.now(company))

    def get_pending_calls(self, token_info: TokenInfo) -> Json:
        company = _company(token_info)
        return self.pbx.calls.pending(company, self.pbx.now(company))

    # Click-to-call
    def initiate_call(
        self, source: str, destination: str, token_info: TokenInfo
    ) -> tuple[Any, int]:
        company = _company(token_info)
        self.pbx.calls.place_outgoing(company, source, destination, self.pbx.now(company))
        return NoContent, 200

    # Statistics
    def get_common_statistics(
        self, start: str, end: str, token_info: TokenInfo, subscriber_number: str | None = None
    ) -> Json:
        return self.pbx.statistics.common(
            _company(token_info),
            parse_epoch_ms(start, "start"),
            parse_epoch_ms(end, "end"),
            subscriber_number,
        )

    def get_journal_statistics(
        self, start: str, end: str, token_info: TokenInfo, number: str | None = None
    ) -> Json:
        return self.pbx.statistics.journal(
            _company(token_info), parse_epoch_ms(start, "start"), parse_epoch_ms(end, "end"), number
        )

    # Call records
    def get_call_records(
        self,
        start: str,
        end: str,
        token_info: TokenInfo,
        caller: str | None = None,
        callee: str | None = None,
        is_recorded: bool = False,
        page: int | None = None,
        size: int | None = None,
        sort: list[str] | None = None,
    ) -> ConnexionResponse:
        records = self.pbx.journal.records_json(
            _company(token_info),
            parse_epoch_ms(start, "start"),
            parse_epoch_ms(end, "end"),
            caller=caller,
            callee=callee,
            is_recorded=is_recorded,
            page=page,
            size=size,
            sort=sort,
        )
        # The records' JSON comes ready from the journal; written as the jsonifier writes.
        return ConnexionResponse(body=records + b"\n", content_type=APPLICATION_JSON)

    def get_call_record_file(self, filename: str, token_info: TokenInfo) -> Any:
        recording = self.pbx.journal.find_recording(_company(token_info), filename)
        return _recording_answer(recording, self.stream)

    def _get_call_record_file_at_once(self, filename: str, token_info: TokenInfo) -> Any:
        """getCallRecordFile's answer when it costs no more than opening a file (the recording
        is made already: a quick read, or a stream); None when it is still to be made."""
        recording = self.pbx.journal.made_recording(_company(token_info), filename)
        if recording is None:
            return None
        return _recording_answer(recording, self.stream)

    def get_call_record_transcript(self, filename: str, token_info: TokenInfo) -> ConnexionResponse:
        words = self.pbx.journal.transcript_json(_company(token_info), filename)
        return ConnexionResponse(body=words + b"\n", content_type=APPLICATION_JSON)

    # Employees
    def get_employees(self, token_info: TokenInfo) -> Json:
        return self.pbx.employees.list(_company(token_info))

    # Managers
    def get_managers(self, token_info: TokenInfo) -> Json:
        return self.pbx.managers.list(_company(token_info))

    def get_manager(self, id_: int, token_info: TokenInfo) -> Json:
        return self.pbx.managers.get(_company(token_info), id_)

    def create_manager(self, body: dict[str, Any], token_info: TokenInfo) -> Json:
        return self.pbx.managers.create(_company(token_info), body)

    def update_manager(self, body: dict[str, Any], token_info: TokenInfo) -> Json:
        return self.pbx.managers.update(_company(token_info), body)

    def delete_manager(self, id_: int, token_info: TokenInfo) -> tuple[Any, int]:
        self.pbx.managers.delete(_company(token_info), id_)
        return NoContent, 200

    # Blacklist
    def get_blacklist(self, token_info: TokenInfo) -> Json:
        return self.pbx.blacklist.list(_company(token_info))

    def add_to_blacklist(self, token_info: TokenInfo, body: bytes | str | None = None) -> Json:
        # `msisdn` in the query is undeclared (D48): read from the request only for the 400.
        query_msisdn = request.query_params.get("msisdn")
        return self.pbx.blacklist.add(_company(token_info), body, query_msisdn)

    def delete_from_blacklist(self, msisdn: str, token_info: TokenInfo) -> Json:
        return self.pbx.blacklist.remove(_company(token_info), msisdn)

    def clear_blacklist(self, token_info: TokenInfo) -> Json:
        return self.pbx.blacklist.clear(_company(token_info))
