from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_pair import TokenPair
from ...models.token_superseded_error import TokenSupersededError
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/authorization/refresh/token",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> TokenPair | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = TokenPair.from_dict(response.json())

        return response_200

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
) -> Response[TokenPair | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[TokenPair | SpringError | TokenExpiredError | TokenSupersededError]:
    """Refresh the token pair

     «Обновление токена». Takes the refresh token in `Authorization` (raw, no
    prefix) and returns a new access/refresh pair. The old pair is dead from
    then on: its tokens answer 403 "The token has already been updated".
    No body is needed; a body or `Content-Type: application/json`, as some
    clients send, is ignored. The access token answers 403 here (decision
    D42).

    A refresh token that has expired (7 days) answers 403 "The token is
    expired"; a person must then generate a new pair in the web cabinet.
    An access token lives one day, a refresh token seven (decision D60); a
    refresh in the second its pair was issued returns that very pair
    (decision D61).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[TokenPair | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> TokenPair | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Refresh the token pair

     «Обновление токена». Takes the refresh token in `Authorization` (raw, no
    prefix) and returns a new access/refresh pair. The old pair is dead from
    then on: its tokens answer 403 "The token has already been updated".
    No body is needed; a body or `Content-Type: application/json`, as some
    clients send, is ignored. The access token answers 403 here (decision
    D42).

    A refresh token that has expired (7 days) answers 403 "The token is
    expired"; a person must then generate a new pair in the web cabinet.
    An access token lives one day, a refresh token seven (decision D60); a
    refresh in the second its pair was issued returns that very pair
    (decision D61).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        TokenPair | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[TokenPair | SpringError | TokenExpiredError | TokenSupersededError]:
    """Refresh the token pair

     «Обновление токена». Takes the refresh token in `Authorization` (raw, no
    prefix) and returns a new access/refresh pair. The old pair is dead from
    then on: its tokens answer 403 "The token has already been updated".
    No body is needed; a body or `Content-Type: application/json`, as some
    clients send, is ignored. The access token answers 403 here (decision
    D42).

    A refresh token that has expired (7 days) answers 403 "The token is
    expired"; a person must then generate a new pair in the web cabinet.
    An access token lives one day, a refresh token seven (decision D60); a
    refresh in the second its pair was issued returns that very pair
    (decision D61).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[TokenPair | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> TokenPair | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Refresh the token pair

     «Обновление токена». Takes the refresh token in `Authorization` (raw, no
    prefix) and returns a new access/refresh pair. The old pair is dead from
    then on: its tokens answer 403 "The token has already been updated".
    No body is needed; a body or `Content-Type: application/json`, as some
    clients send, is ignored. The access token answers 403 here (decision
    D42).

    A refresh token that has expired (7 days) answers 403 "The token is
    expired"; a person must then generate a new pair in the web cabinet.
    An access token lives one day, a refresh token seven (decision D60); a
    refresh in the second its pair was issued returns that very pair
    (decision D61).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        TokenPair | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
