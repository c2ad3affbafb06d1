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

    The guide labels each figure (quoted in the schema CommonStatistics) and
    gives one sample answer, the example below. The definitions are the
    ones under which that sample is consistent, figure with figure
    (decisions D19, D20, D52, D53, each with the sample's arithmetic that
    supports it and what the sample leaves open); every figure can be
    recomputed from GET /call-records/info over the same window. Confirm
    the open points against production with the real-service contract run.

    A call of the window is *internal* (`callType` `INTERNAL` or
    `HIMSELF`) or *external* (any other type, incoming, outgoing or through
    a queue). An external call is *successful* (`callStatus` starting with
    `ANSWERED_`) or *lost* (any other status). Durations are whole seconds
    of `conversationDuration` (0 for a call without one); every average is
    the floor of sum / count, and 0 when the count is 0.
    - `allCallCount`: all calls = `successCallCount` + `lostCallCount` +
      `internalCallCount` (the sample: 22 = 8 + 5 + 9).
    - `successCallCount`: successful calls; `lostCallCount`: lost calls,
      in either direction (an outgoing call nobody answered is lost too).
    - `outgoingCallCount`: external calls of type `OUTGOING`,
      `CRM_OUTGOING` or `CRM_CALLBACK`.
    - `commonCallDuration`: the conversations of the successful calls, in
      all; `maxCallDuration` and `mnMaxCallDuration` both the longest of
      them (the sample: 72 and 72); `mnAvgCallDuration` =
      floor(`commonCallDuration` / `successCallCount`) (the sample:
      floor(178 / 8) = 22).
    - `averageCallDuration` = floor(`commonCallDuration` / (`allCallCount`
      − `lostCallCount`)) (decision D52: the sample's floor(178 / 17) = 10,
      the one figure its arithmetic does not fix).
    - `callCountPerDay`: external calls (`successCallCount` +
      `lostCallCount`) / the calendar days, in Moscow time, that the window
      touches (decision D53; the sample: 13 / 3); `callCountPerHour` =
      `callCountPerDay` / 24; `averageCallCountPerHour` =
      floor(`callCountPerHour`). All three 0 for an empty window.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` their conversations in all;
      `averageTransferCallDuration` the floor of their average.
    - `hangupACallCount`: lost calls the caller ended while it rang
      (`CANCELLED_BY_CALLER`); `hangupBCallCount`: lost calls the employee
      turned down (`DESTINATION_BUSY`) (decision D20). So
      `hangupACallCount` + `hangupBCallCount` <= `lostCallCount` (the
      sample: 1 + 2 <= 5).
    - `uniqueCallCount`: distinct caller numbers among the successful
      calls; `redialCount` = `successCallCount` − `uniqueCallCount` (the
      sample: 2 + 6 = 8).
    - `internalCallCount`: internal calls; `internalCallDuration` their
      conversations in all; `averageInternalCallDuration` =
      floor(`internalCallDuration` / `internalCallCount`) (the sample:
      floor(717 / 9) = 79).

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

    The guide labels each figure (quoted in the schema CommonStatistics) and
    gives one sample answer, the example below. The definitions are the
    ones under which that sample is consistent, figure with figure
    (decisions D19, D20, D52, D53, each with the sample's arithmetic that
    supports it and what the sample leaves open); every figure can be
    recomputed from GET /call-records/info over the same window. Confirm
    the open points against production with the real-service contract run.

    A call of the window is *internal* (`callType` `INTERNAL` or
    `HIMSELF`) or *external* (any other type, incoming, outgoing or through
    a queue). An external call is *successful* (`callStatus` starting with
    `ANSWERED_`) or *lost* (any other status). Durations are whole seconds
    of `conversationDuration` (0 for a call without one); every average is
    the floor of sum / count, and 0 when the count is 0.
    - `allCallCount`: all calls = `successCallCount` + `lostCallCount` +
      `internalCallCount` (the sample: 22 = 8 + 5 + 9).
    - `successCallCount`: successful calls; `lostCallCount`: lost calls,
      in either direction (an outgoing call nobody answered is lost too).
    - `outgoingCallCount`: external calls of type `OUTGOING`,
      `CRM_OUTGOING` or `CRM_CALLBACK`.
    - `commonCallDuration`: the conversations of the successful calls, in
      all; `maxCallDuration` and `mnMaxCallDuration` both the longest of
      them (the sample: 72 and 72); `mnAvgCallDuration` =
      floor(`commonCallDuration` / `successCallCount`) (the sample:
      floor(178 / 8) = 22).
    - `averageCallDuration` = floor(`commonCallDuration` / (`allCallCount`
      − `lostCallCount`)) (decision D52: the sample's floor(178 / 17) = 10,
      the one figure its arithmetic does not fix).
    - `callCountPerDay`: external calls (`successCallCount` +
      `lostCallCount`) / the calendar days, in Moscow time, that the window
      touches (decision D53; the sample: 13 / 3); `callCountPerHour` =
      `callCountPerDay` / 24; `averageCallCountPerHour` =
      floor(`callCountPerHour`). All three 0 for an empty window.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` their conversations in all;
      `averageTransferCallDuration` the floor of their average.
    - `hangupACallCount`: lost calls the caller ended while it rang
      (`CANCELLED_BY_CALLER`); `hangupBCallCount`: lost calls the employee
      turned down (`DESTINATION_BUSY`) (decision D20). So
      `hangupACallCount` + `hangupBCallCount` <= `lostCallCount` (the
      sample: 1 + 2 <= 5).
    - `uniqueCallCount`: distinct caller numbers among the successful
      calls; `redialCount` = `successCallCount` − `uniqueCallCount` (the
      sample: 2 + 6 = 8).
    - `internalCallCount`: internal calls; `internalCallDuration` their
      conversations in all; `averageInternalCallDuration` =
      floor(`internalCallDuration` / `internalCallCount`) (the sample:
      floor(717 / 9) = 79).

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

    The guide labels each figure (quoted in the schema CommonStatistics) and
    gives one sample answer, the example below. The definitions are the
    ones under which that sample is consistent, figure with figure
    (decisions D19, D20, D52, D53, each with the sample's arithmetic that
    supports it and what the sample leaves open); every figure can be
    recomputed from GET /call-records/info over the same window. Confirm
    the open points against production with the real-service contract run.

    A call of the window is *internal* (`callType` `INTERNAL` or
    `HIMSELF`) or *external* (any other type, incoming, outgoing or through
    a queue). An external call is *successful* (`callStatus` starting with
    `ANSWERED_`) or *lost* (any other status). Durations are whole seconds
    of `conversationDuration` (0 for a call without one); every average is
    the floor of sum / count, and 0 when the count is 0.
    - `allCallCount`: all calls = `successCallCount` + `lostCallCount` +
      `internalCallCount` (the sample: 22 = 8 + 5 + 9).
    - `successCallCount`: successful calls; `lostCallCount`: lost calls,
      in either direction (an outgoing call nobody answered is lost too).
    - `outgoingCallCount`: external calls of type `OUTGOING`,
      `CRM_OUTGOING` or `CRM_CALLBACK`.
    - `commonCallDuration`: the conversations of the successful calls, in
      all; `maxCallDuration` and `mnMaxCallDuration` both the longest of
      them (the sample: 72 and 72); `mnAvgCallDuration` =
      floor(`commonCallDuration` / `successCallCount`) (the sample:
      floor(178 / 8) = 22).
    - `averageCallDuration` = floor(`commonCallDuration` / (`allCallCount`
      − `lostCallCount`)) (decision D52: the sample's floor(178 / 17) = 10,
      the one figure its arithmetic does not fix).
    - `callCountPerDay`: external calls (`successCallCount` +
      `lostCallCount`) / the calendar days, in Moscow time, that the window
      touches (decision D53; the sample: 13 / 3); `callCountPerHour` =
      `callCountPerDay` / 24; `averageCallCountPerHour` =
      floor(`callCountPerHour`). All three 0 for an empty window.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` their conversations in all;
      `averageTransferCallDuration` the floor of their average.
    - `hangupACallCount`: lost calls the caller ended while it rang
      (`CANCELLED_BY_CALLER`); `hangupBCallCount`: lost calls the employee
      turned down (`DESTINATION_BUSY`) (decision D20). So
      `hangupACallCount` + `hangupBCallCount` <= `lostCallCount` (the
      sample: 1 + 2 <= 5).
    - `uniqueCallCount`: distinct caller numbers among the successful
      calls; `redialCount` = `successCallCount` − `uniqueCallCount` (the
      sample: 2 + 6 = 8).
    - `internalCallCount`: internal calls; `internalCallDuration` their
      conversations in all; `averageInternalCallDuration` =
      floor(`internalCallDuration` / `internalCallCount`) (the sample:
      floor(717 / 9) = 79).

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

    The guide labels each figure (quoted in the schema CommonStatistics) and
    gives one sample answer, the example below. The definitions are the
    ones under which that sample is consistent, figure with figure
    (decisions D19, D20, D52, D53, each with the sample's arithmetic that
    supports it and what the sample leaves open); every figure can be
    recomputed from GET /call-records/info over the same window. Confirm
    the open points against production with the real-service contract run.

    A call of the window is *internal* (`callType` `INTERNAL` or
    `HIMSELF`) or *external* (any other type, incoming, outgoing or through
    a queue). An external call is *successful* (`callStatus` starting with
    `ANSWERED_`) or *lost* (any other status). Durations are whole seconds
    of `conversationDuration` (0 for a call without one); every average is
    the floor of sum / count, and 0 when the count is 0.
    - `allCallCount`: all calls = `successCallCount` + `lostCallCount` +
      `internalCallCount` (the sample: 22 = 8 + 5 + 9).
    - `successCallCount`: successful calls; `lostCallCount`: lost calls,
      in either direction (an outgoing call nobody answered is lost too).
    - `outgoingCallCount`: external calls of type `OUTGOING`,
      `CRM_OUTGOING` or `CRM_CALLBACK`.
    - `commonCallDuration`: the conversations of the successful calls, in
      all; `maxCallDuration` and `mnMaxCallDuration` both the longest of
      them (the sample: 72 and 72); `mnAvgCallDuration` =
      floor(`commonCallDuration` / `successCallCount`) (the sample:
      floor(178 / 8) = 22).
    - `averageCallDuration` = floor(`commonCallDuration` / (`allCallCount`
      − `lostCallCount`)) (decision D52: the sample's floor(178 / 17) = 10,
      the one figure its arithmetic does not fix).
    - `callCountPerDay`: external calls (`successCallCount` +
      `lostCallCount`) / the calendar days, in Moscow time, that the window
      touches (decision D53; the sample: 13 / 3); `callCountPerHour` =
      `callCountPerDay` / 24; `averageCallCountPerHour` =
      floor(`callCountPerHour`). All three 0 for an empty window.
    - `transferCallCount`: successful calls answered by a forward target
      (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
      `transferCallDuration` their conversations in all;
      `averageTransferCallDuration` the floor of their average.
    - `hangupACallCount`: lost calls the caller ended while it rang
      (`CANCELLED_BY_CALLER`); `hangupBCallCount`: lost calls the employee
      turned down (`DESTINATION_BUSY`) (decision D20). So
      `hangupACallCount` + `hangupBCallCount` <= `lostCallCount` (the
      sample: 1 + 2 <= 5).
    - `uniqueCallCount`: distinct caller numbers among the successful
      calls; `redialCount` = `successCallCount` − `uniqueCallCount` (the
      sample: 2 + 6 = 8).
    - `internalCallCount`: internal calls; `internalCallDuration` their
      conversations in all; `averageInternalCallDuration` =
      floor(`internalCallDuration` / `internalCallCount`) (the sample:
      floor(717 / 9) = 79).

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
