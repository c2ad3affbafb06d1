import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_record import CallRecord
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import UNSET, Response, Unset, require_offset


def _get_kwargs(
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    caller: str | Unset = UNSET,
    callee: str | Unset = UNSET,
    is_recorded: bool | Unset = False,
    page: int | Unset = 0,
    size: int | Unset = 10,
    sort: list[str] | Unset = UNSET,
    company_id: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    require_offset(start, "start")
    json_start = start.isoformat()
    params["start"] = json_start

    require_offset(end, "end")
    json_end = end.isoformat()
    params["end"] = json_end

    params["caller"] = caller

    params["callee"] = callee

    params["is_recorded"] = is_recorded

    params["page"] = page

    params["size"] = size

    json_sort: list[str] | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort

    params["sort"] = json_sort

    params["company_id"] = company_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/call-records/info",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = CallRecord.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError]:
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
    caller: str | Unset = UNSET,
    callee: str | Unset = UNSET,
    is_recorded: bool | Unset = False,
    page: int | Unset = 0,
    size: int | Unset = 10,
    sort: list[str] | Unset = UNSET,
    company_id: int | Unset = UNSET,
) -> Response[list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError]:
    """List call records (the call journal)

     «Получение списка записей разговоров». One page of the calls whose
    `date` lies in `[start, end)`, as a plain JSON array (decision D12):
    clients page with `page`/`size` until a page is shorter than `size`.
    A window whose start is not before its end holds no call: an empty
    page (decision D18). The guide's example answer is no answer to its
    example request (its records lie outside the window and name another
    callee); the request is answered by what it asks (decision D51). The
    mock's company 391 holds the calls the guide's examples read, whatever
    the mock clock says (decision D54).

    With `caller` only: calls from that number. With `callee` only: calls
    answered by, or last ringing at, that number. With both: only the calls
    between those two numbers, as the guide says, from `caller` to `callee`
    (both filters apply; calls in the other direction are not included). An
    empty value (`?caller=`) means no filter (decision D21). A Russian
    number matches in its `7XXXXXXXXXX`, `8XXXXXXXXXX` and `+7XXXXXXXXXX`
    forms alike (decision D22): the guide's own example filters
    `callee=89056678798`. `recordFileName` is empty for calls that were not
    answered, for whatever reason (decision D11).

    Where the guide is silent, paging and sorting behave as in the Spring
    service it describes (decisions D17, D23).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        caller (str | Unset): The number that called («Номер абонента, который звонил»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79000258890.
        callee (str | Unset): The number that answered the call, or at which the call ended
            («Номер абонента, который ответил на звонок, или на котором завершился дозвон»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79104739472.
        is_recorded (bool | Unset): Only calls whose conversation was recorded. Default: False.
        page (int | Unset): Page number, 0-based. As Spring Data takes it (decision D17), a
            negative page is page 0. Default: 0.
        size (int | Unset): Records per page. The guide's table writes `Size`; the parameter is
            `size` (decision D3). As Spring Data takes it (decision D17), silently: above 2000 it is
            2000, below 1 it is the default 10. A client that stops when a page is shorter than `size`
            must compare with the size it was served (at most 2000). Default: 10.
        sort (list[str] | Unset): Sort order, Spring's syntax (decisions D10, D23): each value is
            one or more fields of the record (`date`, `callType`, `callerNumber`, `callDuration`, ...)
            separated by commas, optionally followed by `,ASC` or `,DESC` (case-insensitive), which
            applies to each field of that value: `sort=date,callType,DESC`. The parameter may repeat,
            and the orders follow one another: `sort=date,DESC&sort=callType`. The guide types it as
            integer; it is a string. Ties are broken by the record's position in the journal, in the
            direction of the first order, so pages never overlap. Absent values sort first ascending
            and last descending. A field that is not one of the record's answers 400 (the pattern
            lists them). Example: ['date,DESC'].
        company_id (int | Unset): Named by none of the guide's tables, only by the URI template
            behind a link of 5.7.1 (`call-records/info{?company_id,start,...}`). Accepted and ignored:
            the calls are the token's company's whatever it says; one that names another company earns
            an advisory (decision D45).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        caller=caller,
        callee=callee,
        is_recorded=is_recorded,
        page=page,
        size=size,
        sort=sort,
        company_id=company_id,
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
    caller: str | Unset = UNSET,
    callee: str | Unset = UNSET,
    is_recorded: bool | Unset = False,
    page: int | Unset = 0,
    size: int | Unset = 10,
    sort: list[str] | Unset = UNSET,
    company_id: int | Unset = UNSET,
) -> list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError | None:
    """List call records (the call journal)

     «Получение списка записей разговоров». One page of the calls whose
    `date` lies in `[start, end)`, as a plain JSON array (decision D12):
    clients page with `page`/`size` until a page is shorter than `size`.
    A window whose start is not before its end holds no call: an empty
    page (decision D18). The guide's example answer is no answer to its
    example request (its records lie outside the window and name another
    callee); the request is answered by what it asks (decision D51). The
    mock's company 391 holds the calls the guide's examples read, whatever
    the mock clock says (decision D54).

    With `caller` only: calls from that number. With `callee` only: calls
    answered by, or last ringing at, that number. With both: only the calls
    between those two numbers, as the guide says, from `caller` to `callee`
    (both filters apply; calls in the other direction are not included). An
    empty value (`?caller=`) means no filter (decision D21). A Russian
    number matches in its `7XXXXXXXXXX`, `8XXXXXXXXXX` and `+7XXXXXXXXXX`
    forms alike (decision D22): the guide's own example filters
    `callee=89056678798`. `recordFileName` is empty for calls that were not
    answered, for whatever reason (decision D11).

    Where the guide is silent, paging and sorting behave as in the Spring
    service it describes (decisions D17, D23).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        caller (str | Unset): The number that called («Номер абонента, который звонил»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79000258890.
        callee (str | Unset): The number that answered the call, or at which the call ended
            («Номер абонента, который ответил на звонок, или на котором завершился дозвон»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79104739472.
        is_recorded (bool | Unset): Only calls whose conversation was recorded. Default: False.
        page (int | Unset): Page number, 0-based. As Spring Data takes it (decision D17), a
            negative page is page 0. Default: 0.
        size (int | Unset): Records per page. The guide's table writes `Size`; the parameter is
            `size` (decision D3). As Spring Data takes it (decision D17), silently: above 2000 it is
            2000, below 1 it is the default 10. A client that stops when a page is shorter than `size`
            must compare with the size it was served (at most 2000). Default: 10.
        sort (list[str] | Unset): Sort order, Spring's syntax (decisions D10, D23): each value is
            one or more fields of the record (`date`, `callType`, `callerNumber`, `callDuration`, ...)
            separated by commas, optionally followed by `,ASC` or `,DESC` (case-insensitive), which
            applies to each field of that value: `sort=date,callType,DESC`. The parameter may repeat,
            and the orders follow one another: `sort=date,DESC&sort=callType`. The guide types it as
            integer; it is a string. Ties are broken by the record's position in the journal, in the
            direction of the first order, so pages never overlap. Absent values sort first ascending
            and last descending. A field that is not one of the record's answers 400 (the pattern
            lists them). Example: ['date,DESC'].
        company_id (int | Unset): Named by none of the guide's tables, only by the URI template
            behind a link of 5.7.1 (`call-records/info{?company_id,start,...}`). Accepted and ignored:
            the calls are the token's company's whatever it says; one that names another company earns
            an advisory (decision D45).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        start=start,
        end=end,
        caller=caller,
        callee=callee,
        is_recorded=is_recorded,
        page=page,
        size=size,
        sort=sort,
        company_id=company_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    caller: str | Unset = UNSET,
    callee: str | Unset = UNSET,
    is_recorded: bool | Unset = False,
    page: int | Unset = 0,
    size: int | Unset = 10,
    sort: list[str] | Unset = UNSET,
    company_id: int | Unset = UNSET,
) -> Response[list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError]:
    """List call records (the call journal)

     «Получение списка записей разговоров». One page of the calls whose
    `date` lies in `[start, end)`, as a plain JSON array (decision D12):
    clients page with `page`/`size` until a page is shorter than `size`.
    A window whose start is not before its end holds no call: an empty
    page (decision D18). The guide's example answer is no answer to its
    example request (its records lie outside the window and name another
    callee); the request is answered by what it asks (decision D51). The
    mock's company 391 holds the calls the guide's examples read, whatever
    the mock clock says (decision D54).

    With `caller` only: calls from that number. With `callee` only: calls
    answered by, or last ringing at, that number. With both: only the calls
    between those two numbers, as the guide says, from `caller` to `callee`
    (both filters apply; calls in the other direction are not included). An
    empty value (`?caller=`) means no filter (decision D21). A Russian
    number matches in its `7XXXXXXXXXX`, `8XXXXXXXXXX` and `+7XXXXXXXXXX`
    forms alike (decision D22): the guide's own example filters
    `callee=89056678798`. `recordFileName` is empty for calls that were not
    answered, for whatever reason (decision D11).

    Where the guide is silent, paging and sorting behave as in the Spring
    service it describes (decisions D17, D23).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        caller (str | Unset): The number that called («Номер абонента, который звонил»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79000258890.
        callee (str | Unset): The number that answered the call, or at which the call ended
            («Номер абонента, который ответил на звонок, или на котором завершился дозвон»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79104739472.
        is_recorded (bool | Unset): Only calls whose conversation was recorded. Default: False.
        page (int | Unset): Page number, 0-based. As Spring Data takes it (decision D17), a
            negative page is page 0. Default: 0.
        size (int | Unset): Records per page. The guide's table writes `Size`; the parameter is
            `size` (decision D3). As Spring Data takes it (decision D17), silently: above 2000 it is
            2000, below 1 it is the default 10. A client that stops when a page is shorter than `size`
            must compare with the size it was served (at most 2000). Default: 10.
        sort (list[str] | Unset): Sort order, Spring's syntax (decisions D10, D23): each value is
            one or more fields of the record (`date`, `callType`, `callerNumber`, `callDuration`, ...)
            separated by commas, optionally followed by `,ASC` or `,DESC` (case-insensitive), which
            applies to each field of that value: `sort=date,callType,DESC`. The parameter may repeat,
            and the orders follow one another: `sort=date,DESC&sort=callType`. The guide types it as
            integer; it is a string. Ties are broken by the record's position in the journal, in the
            direction of the first order, so pages never overlap. Absent values sort first ascending
            and last descending. A field that is not one of the record's answers 400 (the pattern
            lists them). Example: ['date,DESC'].
        company_id (int | Unset): Named by none of the guide's tables, only by the URI template
            behind a link of 5.7.1 (`call-records/info{?company_id,start,...}`). Accepted and ignored:
            the calls are the token's company's whatever it says; one that names another company earns
            an advisory (decision D45).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        start=start,
        end=end,
        caller=caller,
        callee=callee,
        is_recorded=is_recorded,
        page=page,
        size=size,
        sort=sort,
        company_id=company_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    start: datetime.datetime,
    end: datetime.datetime,
    caller: str | Unset = UNSET,
    callee: str | Unset = UNSET,
    is_recorded: bool | Unset = False,
    page: int | Unset = 0,
    size: int | Unset = 10,
    sort: list[str] | Unset = UNSET,
    company_id: int | Unset = UNSET,
) -> list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError | None:
    """List call records (the call journal)

     «Получение списка записей разговоров». One page of the calls whose
    `date` lies in `[start, end)`, as a plain JSON array (decision D12):
    clients page with `page`/`size` until a page is shorter than `size`.
    A window whose start is not before its end holds no call: an empty
    page (decision D18). The guide's example answer is no answer to its
    example request (its records lie outside the window and name another
    callee); the request is answered by what it asks (decision D51). The
    mock's company 391 holds the calls the guide's examples read, whatever
    the mock clock says (decision D54).

    With `caller` only: calls from that number. With `callee` only: calls
    answered by, or last ringing at, that number. With both: only the calls
    between those two numbers, as the guide says, from `caller` to `callee`
    (both filters apply; calls in the other direction are not included). An
    empty value (`?caller=`) means no filter (decision D21). A Russian
    number matches in its `7XXXXXXXXXX`, `8XXXXXXXXXX` and `+7XXXXXXXXXX`
    forms alike (decision D22): the guide's own example filters
    `callee=89056678798`. `recordFileName` is empty for calls that were not
    answered, for whatever reason (decision D11).

    Where the guide is silent, paging and sorting behave as in the Spring
    service it describes (decisions D17, D23).

    Args:
        start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
            date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
            UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
            takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
        end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
            whose start is not before its end holds no call (decision D18). Example:
            2022-07-26T10:15:30+03:00.
        caller (str | Unset): The number that called («Номер абонента, который звонил»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79000258890.
        callee (str | Unset): The number that answered the call, or at which the call ended
            («Номер абонента, который ответил на звонок, или на котором завершился дозвон»); empty
            means no filter (D21), 8- and +7-forms match the 7-form (D22). Example: 79104739472.
        is_recorded (bool | Unset): Only calls whose conversation was recorded. Default: False.
        page (int | Unset): Page number, 0-based. As Spring Data takes it (decision D17), a
            negative page is page 0. Default: 0.
        size (int | Unset): Records per page. The guide's table writes `Size`; the parameter is
            `size` (decision D3). As Spring Data takes it (decision D17), silently: above 2000 it is
            2000, below 1 it is the default 10. A client that stops when a page is shorter than `size`
            must compare with the size it was served (at most 2000). Default: 10.
        sort (list[str] | Unset): Sort order, Spring's syntax (decisions D10, D23): each value is
            one or more fields of the record (`date`, `callType`, `callerNumber`, `callDuration`, ...)
            separated by commas, optionally followed by `,ASC` or `,DESC` (case-insensitive), which
            applies to each field of that value: `sort=date,callType,DESC`. The parameter may repeat,
            and the orders follow one another: `sort=date,DESC&sort=callType`. The guide types it as
            integer; it is a string. Ties are broken by the record's position in the journal, in the
            direction of the first order, so pages never overlap. Absent values sort first ascending
            and last descending. A field that is not one of the record's answers 400 (the pattern
            lists them). Example: ['date,DESC'].
        company_id (int | Unset): Named by none of the guide's tables, only by the URI template
            behind a link of 5.7.1 (`call-records/info{?company_id,start,...}`). Accepted and ignored:
            the calls are the token's company's whatever it says; one that names another company earns
            an advisory (decision D45).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[CallRecord] | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            start=start,
            end=end,
            caller=caller,
            callee=callee,
            is_recorded=is_recorded,
            page=page,
            size=size,
            sort=sort,
            company_id=company_id,
        )
    ).parsed
