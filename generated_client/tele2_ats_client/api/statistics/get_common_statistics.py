import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.common_statistics import CommonStatistics
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import UNSET, Response, Unset, require_offset


def _get_kwargs(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    subscriber_number: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    require_offset(start, "start")
    json_start = start.isoformat()
    params["start"] = json_start

    require_offset(end, "end")
    json_end = end.isoformat()
    params["end"] = json_end

    params["subscriberNumber"] = subscriber_number

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/statistics/common",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = CommonStatistics.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = SpringError.from_dict(response.json())

        return response_400

    if response.status_code == 403:

        def _parse_response_403(data: object) -> SpringError | TokenExpiredError | TokenSupersededError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_403_type_0 = TokenExpiredError.from_dict(data)

                return response_403_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_403_type_1 = TokenSupersededError.from_dict(data)

                return response_403_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_403_type_2 = SpringError.from_dict(data)

            return response_403_type_2

        response_403 = _parse_response_403(response.json())

        return response_403

    if response.status_code == 405:
        response_405 = SpringError.from_dict(response.json())

        return response_405

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    subscriber_number: str | Unset = UNSET,
) -> Response[CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError]:
    """Call statistics of the company or of one number

     «Получение общей статистики». Statistics over the calls of the journal
    whose `date` lies in `[start, end)` (decision D18: a window whose start
    is not before its end counts nothing): for the whole company, or, with
    `subscriberNumber`, for the calls where that number is the caller or the
    callee.

    **The definitions below are the project's inference, not the guide's**
    (decision D19): the guide only labels each figure (quoted in the schema
    CommonStatistics). They are chosen so that every figure can be
    recomputed from GET /call-records/info over the same window; confirm
    them against production with the real-service contract run.

    Definitions (all durations in whole seconds; every average is the
    integer part of sum / count, and 0 when count is 0):
    - `allCallCount`: all calls in the window.
    - `successCallCount`: calls whose `callStatus` starts with `ANSWERED_`.
    - `lostCallCount`: calls that are not successful and not internal
      (`callType` neither `INTERNAL` nor `HIMSELF`), in either direction:
      an outgoing call nobody answered counts as lost too.
    - `outgoingCallCount`: calls of type `OUTGOING`, `CRM_OUTGOING` or
      `CRM_CALLBACK`.
    - `commonCallDuration`: sum of `callDuration`; `averageCallDuration`
      its average over all calls; `maxCallDuration` the largest.
    - `mnAvgCallDuration` / `mnMaxCallDuration`: average and largest
      `conversationDuration` over successful calls.
    - `callCountPerDay`: `allCallCount` / days in the window (window length
      in seconds / 86400); `callCountPerHour`: `allCallCount` / hours in the
      window; both 0 for a window of no length.
    - `averageCallCountPerHour`: `allCallCount` / the number of distinct
      clock hours (UTC) in which at least one call started, integer part.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` the sum of their `conversationDuration`;
      `averageTransferCallDuration` its average.
    - `hangupACallCount`: answered calls that the caller (party A, «инициатор
      вызова») hung up; `hangupBCallCount`: answered calls that the callee
      (party B, «сотрудник») hung up (decision D20). Every answered call was
      ended by exactly one of them, so the two add up to `successCallCount`;
      a call cancelled while ringing is lost, not a hang-up. Which party
      hung up is not a field of the call record.
    - `uniqueCallCount`: distinct caller numbers in the window;
      `redialCount`: `allCallCount` − `uniqueCallCount` (calls from a number
      that already called in the window).
    - `internalCallCount`: calls of type `INTERNAL` or `HIMSELF`;
      `internalCallDuration` the sum of their `callDuration`;
      `averageInternalCallDuration` its average.

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        subscriber_number (str | Unset): A number of the PBX in the form `7XXXXXXXXXX`; without it
            the statistics cover the whole company. The guide lists this parameter under "Параметры
            path", but the path has no placeholder for it and clients send it in the query (decision
            D2). Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        subscriber_number=subscriber_number,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    subscriber_number: str | Unset = UNSET,
) -> CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Call statistics of the company or of one number

     «Получение общей статистики». Statistics over the calls of the journal
    whose `date` lies in `[start, end)` (decision D18: a window whose start
    is not before its end counts nothing): for the whole company, or, with
    `subscriberNumber`, for the calls where that number is the caller or the
    callee.

    **The definitions below are the project's inference, not the guide's**
    (decision D19): the guide only labels each figure (quoted in the schema
    CommonStatistics). They are chosen so that every figure can be
    recomputed from GET /call-records/info over the same window; confirm
    them against production with the real-service contract run.

    Definitions (all durations in whole seconds; every average is the
    integer part of sum / count, and 0 when count is 0):
    - `allCallCount`: all calls in the window.
    - `successCallCount`: calls whose `callStatus` starts with `ANSWERED_`.
    - `lostCallCount`: calls that are not successful and not internal
      (`callType` neither `INTERNAL` nor `HIMSELF`), in either direction:
      an outgoing call nobody answered counts as lost too.
    - `outgoingCallCount`: calls of type `OUTGOING`, `CRM_OUTGOING` or
      `CRM_CALLBACK`.
    - `commonCallDuration`: sum of `callDuration`; `averageCallDuration`
      its average over all calls; `maxCallDuration` the largest.
    - `mnAvgCallDuration` / `mnMaxCallDuration`: average and largest
      `conversationDuration` over successful calls.
    - `callCountPerDay`: `allCallCount` / days in the window (window length
      in seconds / 86400); `callCountPerHour`: `allCallCount` / hours in the
      window; both 0 for a window of no length.
    - `averageCallCountPerHour`: `allCallCount` / the number of distinct
      clock hours (UTC) in which at least one call started, integer part.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` the sum of their `conversationDuration`;
      `averageTransferCallDuration` its average.
    - `hangupACallCount`: answered calls that the caller (party A, «инициатор
      вызова») hung up; `hangupBCallCount`: answered calls that the callee
      (party B, «сотрудник») hung up (decision D20). Every answered call was
      ended by exactly one of them, so the two add up to `successCallCount`;
      a call cancelled while ringing is lost, not a hang-up. Which party
      hung up is not a field of the call record.
    - `uniqueCallCount`: distinct caller numbers in the window;
      `redialCount`: `allCallCount` − `uniqueCallCount` (calls from a number
      that already called in the window).
    - `internalCallCount`: calls of type `INTERNAL` or `HIMSELF`;
      `internalCallDuration` the sum of their `callDuration`;
      `averageInternalCallDuration` its average.

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        subscriber_number (str | Unset): A number of the PBX in the form `7XXXXXXXXXX`; without it
            the statistics cover the whole company. The guide lists this parameter under "Параметры
            path", but the path has no placeholder for it and clients send it in the query (decision
            D2). Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        start=start,
        end=end,
        subscriber_number=subscriber_number,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    subscriber_number: str | Unset = UNSET,
) -> Response[CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError]:
    """Call statistics of the company or of one number

     «Получение общей статистики». Statistics over the calls of the journal
    whose `date` lies in `[start, end)` (decision D18: a window whose start
    is not before its end counts nothing): for the whole company, or, with
    `subscriberNumber`, for the calls where that number is the caller or the
    callee.

    **The definitions below are the project's inference, not the guide's**
    (decision D19): the guide only labels each figure (quoted in the schema
    CommonStatistics). They are chosen so that every figure can be
    recomputed from GET /call-records/info over the same window; confirm
    them against production with the real-service contract run.

    Definitions (all durations in whole seconds; every average is the
    integer part of sum / count, and 0 when count is 0):
    - `allCallCount`: all calls in the window.
    - `successCallCount`: calls whose `callStatus` starts with `ANSWERED_`.
    - `lostCallCount`: calls that are not successful and not internal
      (`callType` neither `INTERNAL` nor `HIMSELF`), in either direction:
      an outgoing call nobody answered counts as lost too.
    - `outgoingCallCount`: calls of type `OUTGOING`, `CRM_OUTGOING` or
      `CRM_CALLBACK`.
    - `commonCallDuration`: sum of `callDuration`; `averageCallDuration`
      its average over all calls; `maxCallDuration` the largest.
    - `mnAvgCallDuration` / `mnMaxCallDuration`: average and largest
      `conversationDuration` over successful calls.
    - `callCountPerDay`: `allCallCount` / days in the window (window length
      in seconds / 86400); `callCountPerHour`: `allCallCount` / hours in the
      window; both 0 for a window of no length.
    - `averageCallCountPerHour`: `allCallCount` / the number of distinct
      clock hours (UTC) in which at least one call started, integer part.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` the sum of their `conversationDuration`;
      `averageTransferCallDuration` its average.
    - `hangupACallCount`: answered calls that the caller (party A, «инициатор
      вызова») hung up; `hangupBCallCount`: answered calls that the callee
      (party B, «сотрудник») hung up (decision D20). Every answered call was
      ended by exactly one of them, so the two add up to `successCallCount`;
      a call cancelled while ringing is lost, not a hang-up. Which party
      hung up is not a field of the call record.
    - `uniqueCallCount`: distinct caller numbers in the window;
      `redialCount`: `allCallCount` − `uniqueCallCount` (calls from a number
      that already called in the window).
    - `internalCallCount`: calls of type `INTERNAL` or `HIMSELF`;
      `internalCallDuration` the sum of their `callDuration`;
      `averageInternalCallDuration` its average.

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        subscriber_number (str | Unset): A number of the PBX in the form `7XXXXXXXXXX`; without it
            the statistics cover the whole company. The guide lists this parameter under "Параметры
            path", but the path has no placeholder for it and clients send it in the query (decision
            D2). Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        subscriber_number=subscriber_number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    subscriber_number: str | Unset = UNSET,
) -> CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Call statistics of the company or of one number

     «Получение общей статистики». Statistics over the calls of the journal
    whose `date` lies in `[start, end)` (decision D18: a window whose start
    is not before its end counts nothing): for the whole company, or, with
    `subscriberNumber`, for the calls where that number is the caller or the
    callee.

    **The definitions below are the project's inference, not the guide's**
    (decision D19): the guide only labels each figure (quoted in the schema
    CommonStatistics). They are chosen so that every figure can be
    recomputed from GET /call-records/info over the same window; confirm
    them against production with the real-service contract run.

    Definitions (all durations in whole seconds; every average is the
    integer part of sum / count, and 0 when count is 0):
    - `allCallCount`: all calls in the window.
    - `successCallCount`: calls whose `callStatus` starts with `ANSWERED_`.
    - `lostCallCount`: calls that are not successful and not internal
      (`callType` neither `INTERNAL` nor `HIMSELF`), in either direction:
      an outgoing call nobody answered counts as lost too.
    - `outgoingCallCount`: calls of type `OUTGOING`, `CRM_OUTGOING` or
      `CRM_CALLBACK`.
    - `commonCallDuration`: sum of `callDuration`; `averageCallDuration`
      its average over all calls; `maxCallDuration` the largest.
    - `mnAvgCallDuration` / `mnMaxCallDuration`: average and largest
      `conversationDuration` over successful calls.
    - `callCountPerDay`: `allCallCount` / days in the window (window length
      in seconds / 86400); `callCountPerHour`: `allCallCount` / hours in the
      window; both 0 for a window of no length.
    - `averageCallCountPerHour`: `allCallCount` / the number of distinct
      clock hours (UTC) in which at least one call started, integer part.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` the sum of their `conversationDuration`;
      `averageTransferCallDuration` its average.
    - `hangupACallCount`: answered calls that the caller (party A, «инициатор
      вызова») hung up; `hangupBCallCount`: answered calls that the callee
      (party B, «сотрудник») hung up (decision D20). Every answered call was
      ended by exactly one of them, so the two add up to `successCallCount`;
      a call cancelled while ringing is lost, not a hang-up. Which party
      hung up is not a field of the call record.
    - `uniqueCallCount`: distinct caller numbers in the window;
      `redialCount`: `allCallCount` − `uniqueCallCount` (calls from a number
      that already called in the window).
    - `internalCallCount`: calls of type `INTERNAL` or `HIMSELF`;
      `internalCallDuration` the sum of their `callDuration`;
      `averageInternalCallDuration` its average.

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        subscriber_number (str | Unset): A number of the PBX in the form `7XXXXXXXXXX`; without it
            the statistics cover the whole company. The guide lists this parameter under "Параметры
            path", but the path has no placeholder for it and clients send it in the query (decision
            D2). Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CommonStatistics | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            start=start,
            end=end,
            subscriber_number=subscriber_number,
        )
    ).parsed
