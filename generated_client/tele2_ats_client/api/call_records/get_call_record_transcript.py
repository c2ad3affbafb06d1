from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.spring_error import SpringError
from ...models.stt_word import SttWord
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import UNSET, Response


def _get_kwargs(
    *,
    filename: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["filename"] = filename

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/call-records/file/stt",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = SttWord.from_dict(response_200_item_data)

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
) -> Response[list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    filename: str,
) -> Response[list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError]:
    """Get the transcript (speech-to-text) of a recording

     «Получение транскрибированного текста записей разговоров». The words of
    the recording with their times in seconds from the start of the
    recording; `channel` is the author: `A` the caller, `B` the callee.
    A recording without a transcript answers 404 (decision D50). The guide's table writes
    `Filename`; the parameter is `filename` (decision D3), shaped as for the
    recording (decision D28).

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        filename=filename,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    filename: str,
) -> list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Get the transcript (speech-to-text) of a recording

     «Получение транскрибированного текста записей разговоров». The words of
    the recording with their times in seconds from the start of the
    recording; `channel` is the author: `A` the caller, `B` the callee.
    A recording without a transcript answers 404 (decision D50). The guide's table writes
    `Filename`; the parameter is `filename` (decision D3), shaped as for the
    recording (decision D28).

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        filename=filename,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    filename: str,
) -> Response[list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError]:
    """Get the transcript (speech-to-text) of a recording

     «Получение транскрибированного текста записей разговоров». The words of
    the recording with their times in seconds from the start of the
    recording; `channel` is the author: `A` the caller, `B` the callee.
    A recording without a transcript answers 404 (decision D50). The guide's table writes
    `Filename`; the parameter is `filename` (decision D3), shaped as for the
    recording (decision D28).

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        filename=filename,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    filename: str,
) -> list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Get the transcript (speech-to-text) of a recording

     «Получение транскрибированного текста записей разговоров». The words of
    the recording with their times in seconds from the start of the
    recording; `channel` is the author: `A` the caller, `B` the callee.
    A recording without a transcript answers 404 (decision D50). The guide's table writes
    `Filename`; the parameter is `filename` (decision D3), shaped as for the
    recording (decision D28).

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        list[SttWord] | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            filename=filename,
        )
    ).parsed
