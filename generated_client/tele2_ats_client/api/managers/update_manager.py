from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.manager_result_code import ManagerResultCode
from ...models.manager_update import ManagerUpdate
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import Response


def _get_kwargs(
    *,
    body: ManagerUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/managers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = ManagerResultCode(response.json())

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

    if response.status_code == 404:
        response_404 = SpringError.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = SpringError.from_dict(response.json())

        return response_405

    if response.status_code == 415:
        response_415 = SpringError.from_dict(response.json())

        return response_415

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ManagerUpdate,
) -> Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Update a personal manager

     «Редактирование менеджера». Replaces the manager named by `id` with
    the body: its name, employee, flag and customer list. Customers of the
    body that carry the `id` of one of this manager's customers keep that
    id; the others get new ids. Result codes as for POST; when not
    `SUCCESS` nothing is saved. `id` missing or unknown answers 404, as the
    guide says (decision D9).

    Args:
        body (ManagerUpdate): The manager's new state («Объект класса Менеджер»); `id` names the
            manager to change and must be present (else 404, decision D9; a null `id` is a missing
            one, and so is any null member, decision D47).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]
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
    body: ManagerUpdate,
) -> ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Update a personal manager

     «Редактирование менеджера». Replaces the manager named by `id` with
    the body: its name, employee, flag and customer list. Customers of the
    body that carry the `id` of one of this manager's customers keep that
    id; the others get new ids. Result codes as for POST; when not
    `SUCCESS` nothing is saved. `id` missing or unknown answers 404, as the
    guide says (decision D9).

    Args:
        body (ManagerUpdate): The manager's new state («Объект класса Менеджер»); `id` names the
            manager to change and must be present (else 404, decision D9; a null `id` is a missing
            one, and so is any null member, decision D47).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ManagerUpdate,
) -> Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Update a personal manager

     «Редактирование менеджера». Replaces the manager named by `id` with
    the body: its name, employee, flag and customer list. Customers of the
    body that carry the `id` of one of this manager's customers keep that
    id; the others get new ids. Result codes as for POST; when not
    `SUCCESS` nothing is saved. `id` missing or unknown answers 404, as the
    guide says (decision D9).

    Args:
        body (ManagerUpdate): The manager's new state («Объект класса Менеджер»); `id` names the
            manager to change and must be present (else 404, decision D9; a null `id` is a missing
            one, and so is any null member, decision D47).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ManagerUpdate,
) -> ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Update a personal manager

     «Редактирование менеджера». Replaces the manager named by `id` with
    the body: its name, employee, flag and customer list. Customers of the
    body that carry the `id` of one of this manager's customers keep that
    id; the others get new ids. Result codes as for POST; when not
    `SUCCESS` nothing is saved. `id` missing or unknown answers 404, as the
    guide says (decision D9).

    Args:
        body (ManagerUpdate): The manager's new state («Объект класса Менеджер»); `id` names the
            manager to change and must be present (else 404, decision D9; a null `id` is a missing
            one, and so is any null member, decision D47).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
