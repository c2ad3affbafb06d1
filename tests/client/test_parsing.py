"""Answers are parsed into the spec's types: enums, bytes, models of the error bodies."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from tele2_ats_client import OK, UnexpectedStatus
from tele2_ats_client.api.authorization import refresh_token
from tele2_ats_client.api.blacklist import (
    add_to_blacklist,
    clear_blacklist,
    delete_from_blacklist,
    get_blacklist,
)
from tele2_ats_client.api.call_records import (
    get_call_record_file,
    get_call_record_transcript,
    get_call_records,
)
from tele2_ats_client.api.click_to_call import initiate_call
from tele2_ats_client.api.employees import get_employees
from tele2_ats_client.api.managers import create_manager, delete_manager, get_manager
from tele2_ats_client.api.statistics import get_journal_statistics
from tele2_ats_client.models import (
    BlacklistEntry,
    BlacklistRemovalResultCode,
    BlacklistResultCode,
    BlacklistSourceType,
    CallRecord,
    CallStatus,
    CallType,
    Employee,
    Manager,
    ManagerInput,
    ManagerResultCode,
    SpringError,
    SttWord,
    SttWordChannel,
    TokenExpiredError,
    TokenExpiredErrorDetails,
    TokenPair,
    TokenSupersededError,
    TokenSupersededErrorDetails,
)

from .fakes import EXPIRED, SUPERSEDED, Recorder, spring_error, static_client

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 4
UTC = datetime.UTC


def answer(status: int, body: Any = None, **kwargs: Any) -> Recorder:
    if body is None:
        return Recorder(httpx.Response(status, **kwargs))
    return Recorder(httpx.Response(status, json=body, **kwargs))


@pytest.mark.parametrize("code", list(ManagerResultCode))
def test_manager_result_code_parsed_as_enum(code: ManagerResultCode) -> None:
    recorder = answer(200, code.value)  # the JSON string "SUCCESS", quotes included
    response = create_manager.sync_detailed(
        client=static_client(recorder), body=ManagerInput(employee_id=440)
    )
    assert response.content == f'"{code.value}"'.encode(), response
    assert response.parsed is code, response
    assert isinstance(response.parsed, ManagerResultCode), response


@pytest.mark.parametrize("code", list(BlacklistResultCode))
def test_blacklist_result_code_parsed_as_enum(code: BlacklistResultCode) -> None:
    recorder = answer(200, code.value)
    response = add_to_blacklist.sync_detailed(client=static_client(recorder), body="79998887766")
    assert response.parsed is code, response


def test_blacklist_delete_and_clear_success() -> None:
    recorder = answer(200, "SUCCESS")
    client = static_client(recorder)
    deleted = delete_from_blacklist.sync("79998887766", client=client)
    cleared = clear_blacklist.sync(client=client)
    assert deleted is BlacklistRemovalResultCode.SUCCESS, deleted
    assert cleared is BlacklistRemovalResultCode.SUCCESS, cleared
    assert BlacklistRemovalResultCode.SUCCESS == "SUCCESS", "str enum compares to its value"


def test_a_delete_never_promises_a_duplicate() -> None:
    # 5.9.2 and 5.9.3 list only SUCCESS (D15): the deletes have their own one-value enum.
    assert [code.value for code in BlacklistRemovalResultCode] == ["SUCCESS"]
    recorder = answer(200, "DUPLICATE_BLACK_LIST_NUMBER")
    with pytest.raises(ValueError, match="DUPLICATE_BLACK_LIST_NUMBER"):
        delete_from_blacklist.sync("79998887766", client=static_client(recorder))


def test_blacklist_list_parsed() -> None:
    body = [{"id": 10622, "number": "79023581212", "sourceType": "MANUAL"}]
    result = get_blacklist.sync(client=static_client(answer(200, body)))
    assert result == [
        BlacklistEntry(id=10622, number="79023581212", source_type=BlacklistSourceType.MANUAL)
    ], result


def test_record_file_returns_mp3_bytes() -> None:
    recorder = answer(200, content=MP3, headers={"Content-Type": "audio/mpeg"})
    response = get_call_record_file.sync_detailed(
        client=static_client(recorder), filename="2022-07-15/1657"
    )
    assert isinstance(response.parsed, bytes), response
    assert response.parsed == MP3, f"{response.status_code} {response.parsed[:16]!r}"


def test_record_file_range_returns_partial_bytes() -> None:
    recorder = answer(
        206,
        content=MP3[:16],
        headers={"Content-Type": "audio/mpeg", "Content-Range": f"bytes 0-15/{len(MP3)}"},
    )
    response = get_call_record_file.sync_detailed(
        client=static_client(recorder), filename="2022-07-15/1657", range_="bytes=0-15"
    )
    assert response.parsed == MP3[:16], response
    assert response.headers["Content-Range"] == f"bytes 0-15/{len(MP3)}", response


def test_record_file_unsatisfiable_range_spring_error() -> None:
    body = spring_error(416, "Range not satisfiable", "/crm/openapi/call-records/file")
    recorder = answer(416, body, headers={"Content-Range": f"bytes */{len(MP3)}"})
    result = get_call_record_file.sync(
        client=static_client(recorder), filename="2022-07-15/1657", range_="bytes=99999-"
    )
    assert isinstance(result, SpringError), result
    assert result.status == 416, result


def test_record_file_missing_spring_error() -> None:
    body = spring_error(404, "Recording 2022-07-15/1657 not found")
    result = get_call_record_file.sync(
        client=static_client(answer(404, body)), filename="2022-07-15/1657"
    )
    assert isinstance(result, SpringError), result
    assert result.message == "Recording 2022-07-15/1657 not found", result


def test_stt_words_parsed() -> None:
    body = [
        {"channel": "B", "startTime": 0.3, "endTime": 1.07998, "word": "информируем"},
        {"channel": "A", "startTime": 3.78042, "endTime": 4.2, "word": "двенадцать"},
    ]
    result = get_call_record_transcript.sync(
        client=static_client(answer(200, body)), filename="2022-07-15/1657"
    )
    assert result == [
        SttWord(channel=SttWordChannel.B, start_time=0.3, end_time=1.07998, word="информируем"),
        SttWord(channel=SttWordChannel.A, start_time=3.78042, end_time=4.2, word="двенадцать"),
    ], result


def test_call_records_parsed_with_aware_dates_and_enums() -> None:
    body = [
        {
            "date": "2022-07-15T07:27:06.348Z",
            "callType": "SINGLE_CHANNEL",
            "destinationNumber": "79104739472",
            "callerNumber": "79000258890",
            "callerName": "Анастасия Исаева",
            "calleeNumber": "79104739472",
            "callDuration": 20,
            "conversationDuration": 6,
            "callStatus": "ANSWERED_BY_ORIGINAL_CLIENT",
            "recordFileName": "2022-08-12/mo_166030684915821522",
            "uuid": "9b1f",
        }
    ]
    start = datetime.datetime(2022, 7, 15, tzinfo=UTC)
    result = get_call_records.sync(
        client=static_client(answer(200, body)), start=start, end=start + datetime.timedelta(1)
    )
    assert isinstance(result, list), result
    [record] = result
    assert isinstance(record, CallRecord), result
    assert record.date == datetime.datetime(2022, 7, 15, 7, 27, 6, 348000, tzinfo=UTC), record
    assert record.call_type is CallType.SINGLE_CHANNEL, record
    assert record.call_status is CallStatus.ANSWERED_BY_ORIGINAL_CLIENT, record
    assert record.record_file_name == "2022-08-12/mo_166030684915821522", record


def test_employees_optional_fields_parsed() -> None:
    body = [{"employeeId": 433, "name": "Артем", "fullNumber": "79081560008"}, {"employeeId": 5412}]
    result = get_employees.sync(client=static_client(answer(200, body)))
    assert isinstance(result, list), result
    assert result[0] == Employee(employee_id=433, name="Артем", full_number="79081560008"), result
    assert result[1] == Employee(employee_id=5412), result


def test_manager_parsed_with_customers() -> None:
    body = {
        "id": 26,
        "employeeId": 440,
        "companyId": 391,
        "name": "r",
        "customers": [{"id": 92, "realNumber": "79081581621", "isVip": False}],
        "handleAllCustomers": False,
    }
    result = get_manager.sync(26, client=static_client(answer(200, body)))
    assert isinstance(result, Manager), result
    assert result.customers[0].real_number == "79081581621", result
    assert result.to_dict() == body, result


def test_journal_statistics_parsed() -> None:
    body = {"startTimestamp": 1486975130, "endTimestamp": 1487061531, "numberOfCalls": 6,
            "numberOfSuccessCalls": 3}  # fmt: skip
    start = datetime.datetime(2017, 2, 13, tzinfo=UTC)
    result = get_journal_statistics.sync(
        client=static_client(answer(200, body)), start=start, end=start + datetime.timedelta(1)
    )
    assert result is not None, result
    assert not isinstance(result, SpringError | TokenExpiredError | TokenSupersededError), result
    assert result.number_of_calls == 6, result
    assert result.to_dict() == body, "number is absent for the whole company (D16)"


def test_no_body_success_parsed_as_ok_not_none() -> None:
    client = static_client(answer(200))
    assert delete_manager.sync(26, client=client) is OK
    placed = initiate_call.sync(client=client, destination="79533933557", source="79026840778")
    assert placed is OK
    assert repr(placed) == "OK"


@pytest.mark.parametrize("status", [201, 204, 502])
def test_no_body_operation_undocumented_status_is_none(status: int) -> None:
    client = static_client(answer(status))
    assert delete_manager.sync(26, client=client) is None
    assert initiate_call.sync(client=client, destination="79533933557", source="7902") is None


def test_unset_prints_as_unset() -> None:
    employee = Employee.from_dict({"employeeId": 5412})
    assert repr(employee.full_number) == "UNSET"
    assert "full_number=UNSET" in repr(employee), repr(employee)
    assert not employee.full_number


def test_token_pair_parsed() -> None:
    body = {"accessToken": "a2", "refreshToken": "r2"}
    result = refresh_token.sync(client=static_client(answer(200, body)))
    assert result == TokenPair(access_token="a2", refresh_token="r2"), result


def test_forbidden_expired_parsed() -> None:
    recorder = answer(403, {**EXPIRED, "code": 403})
    result = get_employees.sync(client=static_client(recorder))
    assert isinstance(result, TokenExpiredError), result
    assert result.details is TokenExpiredErrorDetails.THE_TOKEN_IS_EXPIRED, result
    assert result.code == 403, result


def test_forbidden_superseded_parsed() -> None:
    result = get_employees.sync(client=static_client(answer(403, SUPERSEDED)))
    assert isinstance(result, TokenSupersededError), result
    assert result.details is TokenSupersededErrorDetails.THE_TOKEN_HAS_ALREADY_BEEN_UPDATED, result


def test_forbidden_spring_body_parsed() -> None:
    body = spring_error(403, "Authorization header is missing")
    result = get_employees.sync(client=static_client(answer(403, body)))
    assert isinstance(result, SpringError), result
    assert result.message == "Authorization header is missing", result
    assert result.timestamp.tzinfo is not None, result


def test_bad_request_spring_body_parsed() -> None:
    body = spring_error(400, "Query parameter 'start': expected an ISO 8601 date-time")
    start = datetime.datetime(2022, 7, 15, tzinfo=UTC)
    result = get_call_records.sync(client=static_client(answer(400, body)), start=start, end=start)
    assert isinstance(result, SpringError), result
    assert result.status == 400, result


def test_undocumented_status_none_by_default() -> None:
    response = get_employees.sync_detailed(client=static_client(answer(502, content=b"gateway")))
    assert response.parsed is None, response
    assert response.content == b"gateway", response


def test_undocumented_status_raises_when_asked() -> None:
    client = static_client(answer(502, content=b"gateway"), raise_on_unexpected_status=True)
    with pytest.raises(UnexpectedStatus) as caught:
        get_employees.sync(client=client)
    assert caught.value.status_code == 502, caught.value
    assert caught.value.content == b"gateway", caught.value
