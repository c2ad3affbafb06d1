from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import OK, UNSET, Ok, Response


def _get_kwargs(
    *,
    destination: str,
    source: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["destination"] = destination

    params["source"] = source

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/call/outgoing",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Ok | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        return OK

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

    if response.status_code == 404:
        response_404 = SpringError.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = SpringError.from_dict(response.json())

        return response_405

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Ok | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    destination: str,
    source: str,
) -> Response[Ok | SpringError | TokenExpiredError | TokenSupersededError]:
    """Place a call through the PBX (click-to-call)

     «Click 2 call (вызов через АТС)». The PBX first calls the employee's
    number `source`, then connects the employee to `destination`. There is
    no request body and the answer carries no call id: clients find the call
    later in GET /call-records/info by its time (it is journalled as
    `CRM_OUTGOING`). A trailing slash (`/call/outgoing/?...`), as one client
    sends, is accepted. Numbers per decisions D22 and D24: `8XXXXXXXXXX` and
    `+7XXXXXXXXXX` are the same subscriber as `7XXXXXXXXXX`.

    Args:
        destination (str): The client's phone number («Номер телефона клиента»), 3 to 15 digits
            with an optional leading `+` (decision D24). Example: 79533933557.
        source (str): The full number of one of the company's employees («Номер телефона
            сотрудника»), in the 7-, 8- or +7-form (decision D22). Any other value answers 404
            (decision D24). Example: 79026840778.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Ok | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        destination=destination,
        source=source,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    destination: str,
    source: str,
) -> Ok | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Place a call through the PBX (click-to-call)

     «Click 2 call (вызов через АТС)». The PBX first calls the employee's
    number `source`, then connects the employee to `destination`. There is
    no request body and the answer carries no call id: clients find the call
    later in GET /call-records/info by its time (it is journalled as
    `CRM_OUTGOING`). A trailing slash (`/call/outgoing/?...`), as one client
    sends, is accepted. Numbers per decisions D22 and D24: `8XXXXXXXXXX` and
    `+7XXXXXXXXXX` are the same subscriber as `7XXXXXXXXXX`.

    Args:
        destination (str): The client's phone number («Номер телефона клиента»), 3 to 15 digits
            with an optional leading `+` (decision D24). Example: 79533933557.
        source (str): The full number of one of the company's employees («Номер телефона
            сотрудника»), in the 7-, 8- or +7-form (decision D22). Any other value answers 404
            (decision D24). Example: 79026840778.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Ok | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        destination=destination,
        source=source,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    destination: str,
    source: str,
) -> Response[Ok | SpringError | TokenExpiredError | TokenSupersededError]:
    """Place a call through the PBX (click-to-call)

     «Click 2 call (вызов через АТС)». The PBX first calls the employee's
    number `source`, then connects the employee to `destination`. There is
    no request body and the answer carries no call id: clients find the call
    later in GET /call-records/info by its time (it is journalled as
    `CRM_OUTGOING`). A trailing slash (`/call/outgoing/?...`), as one client
    sends, is accepted. Numbers per decisions D22 and D24: `8XXXXXXXXXX` and
    `+7XXXXXXXXXX` are the same subscriber as `7XXXXXXXXXX`.

    Args:
        destination (str): The client's phone number («Номер телефона клиента»), 3 to 15 digits
            with an optional leading `+` (decision D24). Example: 79533933557.
        source (str): The full number of one of the company's employees («Номер телефона
            сотрудника»), in the 7-, 8- or +7-form (decision D22). Any other value answers 404
            (decision D24). Example: 79026840778.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Ok | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        destination=destination,
        source=source,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    destination: str,
    source: str,
) -> Ok | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Place a call through the PBX (click-to-call)

     «Click 2 call (вызов через АТС)». The PBX first calls the employee's
    number `source`, then connects the employee to `destination`. There is
    no request body and the answer carries no call id: clients find the call
    later in GET /call-records/info by its time (it is journalled as
    `CRM_OUTGOING`). A trailing slash (`/call/outgoing/?...`), as one client
    sends, is accepted. Numbers per decisions D22 and D24: `8XXXXXXXXXX` and
    `+7XXXXXXXXXX` are the same subscriber as `7XXXXXXXXXX`.

    Args:
        destination (str): The client's phone number («Номер телефона клиента»), 3 to 15 digits
            with an optional leading `+` (decision D24). Example: 79533933557.
        source (str): The full number of one of the company's employees («Номер телефона
            сотрудника»), in the 7-, 8- or +7-form (decision D22). Any other value answers 404
            (decision D24). Example: 79026840778.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Ok | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            destination=destination,
            source=source,
        )
    ).parsed
