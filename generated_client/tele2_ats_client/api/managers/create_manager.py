from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.manager_input import ManagerInput
from ...models.manager_result_code import ManagerResultCode
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import Response


def _get_kwargs(
    *,
    body: ManagerInput,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
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
    body: ManagerInput,
) -> Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Create a personal manager

     «Создание менеджера». Saves a manager and its customers. The server
    assigns the manager's and the customers' ids: an `id` in the body is
    ignored (decision D6), and so is `companyId` (decision D8).

    The answer is a result code (decision D7); when it is not `SUCCESS`
    nothing is saved:
    - `MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS`: the body has
      `handleAllCustomers=true` and another manager of the company already
      has it.
    - `CUSTOMER_ALREADY_ASSIGNED`: a customer number of the body already
      belongs to another manager of the company.

    `employeeId` must be an employee of the company (from GET /employees),
    else 404 (decision D25).

    Args:
        body (ManagerInput): The manager to create («Объект класса Менеджер»); `id` is read-only
            and, like `companyId`, ignored when sent (decisions D6, D8). The guide's own example sends
            both, as this body (accepted; the ids and `companyId` are ignored): ```json {"companyId":
            1, "customers": [{"clientId": 1, "companyId": 1, "companyName": "test", "id": 1, "info":
            "test", "isVip": true, "name": "Ivanov", "realNumber": "8809889666"}], "employeeId": 2,
            "handleAllCustomers": true, "id": 45, "name": "Petrov"} ```

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
    body: ManagerInput,
) -> ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Create a personal manager

     «Создание менеджера». Saves a manager and its customers. The server
    assigns the manager's and the customers' ids: an `id` in the body is
    ignored (decision D6), and so is `companyId` (decision D8).

    The answer is a result code (decision D7); when it is not `SUCCESS`
    nothing is saved:
    - `MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS`: the body has
      `handleAllCustomers=true` and another manager of the company already
      has it.
    - `CUSTOMER_ALREADY_ASSIGNED`: a customer number of the body already
      belongs to another manager of the company.

    `employeeId` must be an employee of the company (from GET /employees),
    else 404 (decision D25).

    Args:
        body (ManagerInput): The manager to create («Объект класса Менеджер»); `id` is read-only
            and, like `companyId`, ignored when sent (decisions D6, D8). The guide's own example sends
            both, as this body (accepted; the ids and `companyId` are ignored): ```json {"companyId":
            1, "customers": [{"clientId": 1, "companyId": 1, "companyName": "test", "id": 1, "info":
            "test", "isVip": true, "name": "Ivanov", "realNumber": "8809889666"}], "employeeId": 2,
            "handleAllCustomers": true, "id": 45, "name": "Petrov"} ```

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
    body: ManagerInput,
) -> Response[ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError]:
    """Create a personal manager

     «Создание менеджера». Saves a manager and its customers. The server
    assigns the manager's and the customers' ids: an `id` in the body is
    ignored (decision D6), and so is `companyId` (decision D8).

    The answer is a result code (decision D7); when it is not `SUCCESS`
    nothing is saved:
    - `MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS`: the body has
      `handleAllCustomers=true` and another manager of the company already
      has it.
    - `CUSTOMER_ALREADY_ASSIGNED`: a customer number of the body already
      belongs to another manager of the company.

    `employeeId` must be an employee of the company (from GET /employees),
    else 404 (decision D25).

    Args:
        body (ManagerInput): The manager to create («Объект класса Менеджер»); `id` is read-only
            and, like `companyId`, ignored when sent (decisions D6, D8). The guide's own example sends
            both, as this body (accepted; the ids and `companyId` are ignored): ```json {"companyId":
            1, "customers": [{"clientId": 1, "companyId": 1, "companyName": "test", "id": 1, "info":
            "test", "isVip": true, "name": "Ivanov", "realNumber": "8809889666"}], "employeeId": 2,
            "handleAllCustomers": true, "id": 45, "name": "Petrov"} ```

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
    body: ManagerInput,
) -> ManagerResultCode | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Create a personal manager

     «Создание менеджера». Saves a manager and its customers. The server
    assigns the manager's and the customers' ids: an `id` in the body is
    ignored (decision D6), and so is `companyId` (decision D8).

    The answer is a result code (decision D7); when it is not `SUCCESS`
    nothing is saved:
    - `MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS`: the body has
      `handleAllCustomers=true` and another manager of the company already
      has it.
    - `CUSTOMER_ALREADY_ASSIGNED`: a customer number of the body already
      belongs to another manager of the company.

    `employeeId` must be an employee of the company (from GET /employees),
    else 404 (decision D25).

    Args:
        body (ManagerInput): The manager to create («Объект класса Менеджер»); `id` is read-only
            and, like `companyId`, ignored when sent (decisions D6, D8). The guide's own example sends
            both, as this body (accepted; the ids and `companyId` are ignored): ```json {"companyId":
            1, "customers": [{"clientId": 1, "companyId": 1, "companyName": "test", "id": 1, "info":
            "test", "isVip": true, "name": "Ivanov", "realNumber": "8809889666"}], "employeeId": 2,
            "handleAllCustomers": true, "id": 45, "name": "Petrov"} ```

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
