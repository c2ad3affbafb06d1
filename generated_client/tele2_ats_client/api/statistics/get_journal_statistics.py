import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.journal_statistics import JournalStatistics
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import UNSET, Response, Unset, require_offset


def _get_kwargs(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    number: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    require_offset(start, "start")
    json_start = start.isoformat()
    params["start"] = json_start

    require_offset(end, "end")
    json_end = end.isoformat()
    params["end"] = json_end

    params["number"] = number

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/statistics/journal",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = JournalStatistics.from_dict(response.json())

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
) -> Response[JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError]:
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
    number: str | Unset = UNSET,
) -> Response[JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError]:
    """Call counts of one number (or of the company)

     «Получение статистики по конкретному номеру». Counts the calls of the
    journal whose `date` lies in `[start, end)` (decision D18) and where
    `number` is the caller or the callee; without `number`, all the
    company's calls (decision D16: `number` is then absent from the answer;
    the guide's example shows the placeholder `7XXXXXXXXXX` there).
    `numberOfCalls` counts them all, `numberOfSuccessCalls` the successful
    ones (external and answered, decision D19): they are `allCallCount` and
    `successCallCount` of GET /statistics/common over the same window and
    number. `startTimestamp` / `endTimestamp`
    echo the window as Unix seconds (the guide's example shows 2017's for a
    2022 window, decision D51).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        number (str | Unset): The number to count calls for, in the form `7XXXXXXXXXX`. Example:
            79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        number=number,
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
    number: str | Unset = UNSET,
) -> JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Call counts of one number (or of the company)

     «Получение статистики по конкретному номеру». Counts the calls of the
    journal whose `date` lies in `[start, end)` (decision D18) and where
    `number` is the caller or the callee; without `number`, all the
    company's calls (decision D16: `number` is then absent from the answer;
    the guide's example shows the placeholder `7XXXXXXXXXX` there).
    `numberOfCalls` counts them all, `numberOfSuccessCalls` the successful
    ones (external and answered, decision D19): they are `allCallCount` and
    `successCallCount` of GET /statistics/common over the same window and
    number. `startTimestamp` / `endTimestamp`
    echo the window as Unix seconds (the guide's example shows 2017's for a
    2022 window, decision D51).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        number (str | Unset): The number to count calls for, in the form `7XXXXXXXXXX`. Example:
            79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        start=start,
        end=end,
        number=number,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    number: str | Unset = UNSET,
) -> Response[JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError]:
    """Call counts of one number (or of the company)

     «Получение статистики по конкретному номеру». Counts the calls of the
    journal whose `date` lies in `[start, end)` (decision D18) and where
    `number` is the caller or the callee; without `number`, all the
    company's calls (decision D16: `number` is then absent from the answer;
    the guide's example shows the placeholder `7XXXXXXXXXX` there).
    `numberOfCalls` counts them all, `numberOfSuccessCalls` the successful
    ones (external and answered, decision D19): they are `allCallCount` and
    `successCallCount` of GET /statistics/common over the same window and
    number. `startTimestamp` / `endTimestamp`
    echo the window as Unix seconds (the guide's example shows 2017's for a
    2022 window, decision D51).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        number (str | Unset): The number to count calls for, in the form `7XXXXXXXXXX`. Example:
            79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        number=number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    number: str | Unset = UNSET,
) -> JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Call counts of one number (or of the company)

     «Получение статистики по конкретному номеру». Counts the calls of the
    journal whose `date` lies in `[start, end)` (decision D18) and where
    `number` is the caller or the callee; without `number`, all the
    company's calls (decision D16: `number` is then absent from the answer;
    the guide's example shows the placeholder `7XXXXXXXXXX` there).
    `numberOfCalls` counts them all, `numberOfSuccessCalls` the successful
    ones (external and answered, decision D19): they are `allCallCount` and
    `successCallCount` of GET /statistics/common over the same window and
    number. `startTimestamp` / `endTimestamp`
    echo the window as Unix seconds (the guide's example shows 2017's for a
    2022 window, decision D51).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        number (str | Unset): The number to count calls for, in the form `7XXXXXXXXXX`. Example:
            79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JournalStatistics | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            start=start,
            end=end,
            number=number,
        )
    ).parsed
