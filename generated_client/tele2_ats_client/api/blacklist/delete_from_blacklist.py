from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.blacklist_removal_result_code import BlacklistRemovalResultCode
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import Response


def _get_kwargs(
    msisdn: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/blacklist/by-msisdn/{msisdn}".format(
            msisdn=quote(str(msisdn), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = BlacklistRemovalResultCode(response.json())

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
) -> Response[BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    msisdn: str,
    *,
    client: AuthenticatedClient,
) -> Response[BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Remove a number from the blacklist

     «Удаление номера из черного списка». `SUCCESS`, also when the number was not listed (decision D15).
    The number must be in the form `7XXXXXXXXXX`, else 400 (decision D27).

    Args:
        msisdn (str): The number to remove, `7XXXXXXXXXX`. Example: 77473370262.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        msisdn=msisdn,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    msisdn: str,
    *,
    client: AuthenticatedClient,
) -> BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Remove a number from the blacklist

     «Удаление номера из черного списка». `SUCCESS`, also when the number was not listed (decision D15).
    The number must be in the form `7XXXXXXXXXX`, else 400 (decision D27).

    Args:
        msisdn (str): The number to remove, `7XXXXXXXXXX`. Example: 77473370262.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        msisdn=msisdn,
        client=client,
    ).parsed


async def asyncio_detailed(
    msisdn: str,
    *,
    client: AuthenticatedClient,
) -> Response[BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Remove a number from the blacklist

     «Удаление номера из черного списка». `SUCCESS`, also when the number was not listed (decision D15).
    The number must be in the form `7XXXXXXXXXX`, else 400 (decision D27).

    Args:
        msisdn (str): The number to remove, `7XXXXXXXXXX`. Example: 77473370262.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        msisdn=msisdn,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    msisdn: str,
    *,
    client: AuthenticatedClient,
) -> BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Remove a number from the blacklist

     «Удаление номера из черного списка». `SUCCESS`, also when the number was not listed (decision D15).
    The number must be in the form `7XXXXXXXXXX`, else 400 (decision D27).

    Args:
        msisdn (str): The number to remove, `7XXXXXXXXXX`. Example: 77473370262.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlacklistRemovalResultCode | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            msisdn=msisdn,
            client=client,
        )
    ).parsed
