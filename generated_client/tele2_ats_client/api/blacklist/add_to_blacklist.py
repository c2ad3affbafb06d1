from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.blacklist_result_code import BlacklistResultCode
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import Response


def _get_kwargs(
    *,
    body: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/blacklist",
    }

    _kwargs["content"] = body
    headers["Content-Type"] = "text/plain"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = BlacklistResultCode(response.json())

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
) -> Response[BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: str,
) -> Response[BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Add a number to the blacklist

     «Занесение номера в черный список». The body is the bare msisdn
    `7XXXXXXXXXX`, not JSON, sent as `text/plain` (decision D14).
    Surrounding whitespace is ignored; anything else, a JSON-quoted number
    included, answers 400. Incoming calls from a blacklisted number are
    denied (`DENIED_DUE_TO_BLACK_LISTED` in the journal).

    The service reads the body as a plain string whatever its
    `Content-Type`, as Spring's string converter does: the guide's own
    example sends `html/text`, and clients also send `text/html` or no
    Content-Type. Those are accepted alike (listed in
    `x-accepted-content-types`), but `text/plain` is the type to send.

    The guide's table lists `msisdn` among «Параметры строки запроса»,
    but the number is the body, as its example sends it: a query
    parameter `msisdn` is read nowhere, and a request that puts the
    number there with no body answers 400 saying where it goes
    (decision D48).

    Args:
        body (str): The msisdn to blacklist, `7XXXXXXXXXX`. Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: str,
) -> BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Add a number to the blacklist

     «Занесение номера в черный список». The body is the bare msisdn
    `7XXXXXXXXXX`, not JSON, sent as `text/plain` (decision D14).
    Surrounding whitespace is ignored; anything else, a JSON-quoted number
    included, answers 400. Incoming calls from a blacklisted number are
    denied (`DENIED_DUE_TO_BLACK_LISTED` in the journal).

    The service reads the body as a plain string whatever its
    `Content-Type`, as Spring's string converter does: the guide's own
    example sends `html/text`, and clients also send `text/html` or no
    Content-Type. Those are accepted alike (listed in
    `x-accepted-content-types`), but `text/plain` is the type to send.

    The guide's table lists `msisdn` among «Параметры строки запроса»,
    but the number is the body, as its example sends it: a query
    parameter `msisdn` is read nowhere, and a request that puts the
    number there with no body answers 400 saying where it goes
    (decision D48).

    Args:
        body (str): The msisdn to blacklist, `7XXXXXXXXXX`. Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: str,
) -> Response[BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Add a number to the blacklist

     «Занесение номера в черный список». The body is the bare msisdn
    `7XXXXXXXXXX`, not JSON, sent as `text/plain` (decision D14).
    Surrounding whitespace is ignored; anything else, a JSON-quoted number
    included, answers 400. Incoming calls from a blacklisted number are
    denied (`DENIED_DUE_TO_BLACK_LISTED` in the journal).

    The service reads the body as a plain string whatever its
    `Content-Type`, as Spring's string converter does: the guide's own
    example sends `html/text`, and clients also send `text/html` or no
    Content-Type. Those are accepted alike (listed in
    `x-accepted-content-types`), but `text/plain` is the type to send.

    The guide's table lists `msisdn` among «Параметры строки запроса»,
    but the number is the body, as its example sends it: a query
    parameter `msisdn` is read nowhere, and a request that puts the
    number there with no body answers 400 saying where it goes
    (decision D48).

    Args:
        body (str): The msisdn to blacklist, `7XXXXXXXXXX`. Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: str,
) -> BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Add a number to the blacklist

     «Занесение номера в черный список». The body is the bare msisdn
    `7XXXXXXXXXX`, not JSON, sent as `text/plain` (decision D14).
    Surrounding whitespace is ignored; anything else, a JSON-quoted number
    included, answers 400. Incoming calls from a blacklisted number are
    denied (`DENIED_DUE_TO_BLACK_LISTED` in the journal).

    The service reads the body as a plain string whatever its
    `Content-Type`, as Spring's string converter does: the guide's own
    example sends `html/text`, and clients also send `text/html` or no
    Content-Type. Those are accepted alike (listed in
    `x-accepted-content-types`), but `text/plain` is the type to send.

    The guide's table lists `msisdn` among «Параметры строки запроса»,
    but the number is the body, as its example sends it: a query
    parameter `msisdn` is read nowhere, and a request that puts the
    number there with no body answers 400 saying where it goes
    (decision D48).

    Args:
        body (str): The msisdn to blacklist, `7XXXXXXXXXX`. Example: 79998887766.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlacklistResultCode | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
