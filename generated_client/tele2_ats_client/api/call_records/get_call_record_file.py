from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.spring_error import SpringError
from ...models.token_expired_error import TokenExpiredError
from ...models.token_superseded_error import TokenSupersededError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    filename: str,
    range_: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    params: dict[str, Any] = {}

    params["filename"] = filename

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/call-records/file",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> bytes | SpringError | TokenExpiredError | TokenSupersededError | None:
    if response.status_code == 200:
        response_200 = response.content
        return response_200

    if response.status_code == 206:
        response_206 = response.content
        return response_206

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

    if response.status_code == 416:
        response_416 = SpringError.from_dict(response.json())

        return response_416

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[bytes | SpringError | TokenExpiredError | TokenSupersededError]:
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
    range_: str | Unset = UNSET,
) -> Response[bytes | SpringError | TokenExpiredError | TokenSupersededError]:
    """Download a call recording (mp3)

     «Получение файла записи разговора». The recording named by a record's
    `recordFileName`, as an mp3 file. `filename` may arrive single-encoded
    (`2022-07-15%2F1657...`) or double-encoded (`2022-08-19%252F1662...`);
    both work (decision D28). It is sent as an attachment
    (`Content-Disposition`), and byte ranges (`Range: bytes=...`) are
    answered with 206, as browser audio players expect (decision D26).

    The recording is stereo: channel A (the caller) on the left, channel B
    (the callee) on the right (decision D40). In the mock it says the call's
    transcript (GET /call-records/file/stt) aloud, each word at the
    `startTime` the transcript gives, and lasts `conversationDuration`.

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.
        range_ (str | Unset): A byte range (`bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`),
            RFC 9110. Several ranges in one header are answered with the whole recording, 200
            (decision D26). Example: bytes=0-1023.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[bytes | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        filename=filename,
        range_=range_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    filename: str,
    range_: str | Unset = UNSET,
) -> bytes | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Download a call recording (mp3)

     «Получение файла записи разговора». The recording named by a record's
    `recordFileName`, as an mp3 file. `filename` may arrive single-encoded
    (`2022-07-15%2F1657...`) or double-encoded (`2022-08-19%252F1662...`);
    both work (decision D28). It is sent as an attachment
    (`Content-Disposition`), and byte ranges (`Range: bytes=...`) are
    answered with 206, as browser audio players expect (decision D26).

    The recording is stereo: channel A (the caller) on the left, channel B
    (the callee) on the right (decision D40). In the mock it says the call's
    transcript (GET /call-records/file/stt) aloud, each word at the
    `startTime` the transcript gives, and lasts `conversationDuration`.

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.
        range_ (str | Unset): A byte range (`bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`),
            RFC 9110. Several ranges in one header are answered with the whole recording, 200
            (decision D26). Example: bytes=0-1023.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        bytes | SpringError | TokenExpiredError | TokenSupersededError
    """

    return sync_detailed(
        client=client,
        filename=filename,
        range_=range_,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    filename: str,
    range_: str | Unset = UNSET,
) -> Response[bytes | SpringError | TokenExpiredError | TokenSupersededError]:
    """Download a call recording (mp3)

     «Получение файла записи разговора». The recording named by a record's
    `recordFileName`, as an mp3 file. `filename` may arrive single-encoded
    (`2022-07-15%2F1657...`) or double-encoded (`2022-08-19%252F1662...`);
    both work (decision D28). It is sent as an attachment
    (`Content-Disposition`), and byte ranges (`Range: bytes=...`) are
    answered with 206, as browser audio players expect (decision D26).

    The recording is stereo: channel A (the caller) on the left, channel B
    (the callee) on the right (decision D40). In the mock it says the call's
    transcript (GET /call-records/file/stt) aloud, each word at the
    `startTime` the transcript gives, and lasts `conversationDuration`.

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.
        range_ (str | Unset): A byte range (`bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`),
            RFC 9110. Several ranges in one header are answered with the whole recording, 200
            (decision D26). Example: bytes=0-1023.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[bytes | SpringError | TokenExpiredError | TokenSupersededError]
    """

    kwargs = _get_kwargs(
        filename=filename,
        range_=range_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    filename: str,
    range_: str | Unset = UNSET,
) -> bytes | SpringError | TokenExpiredError | TokenSupersededError | None:
    """Download a call recording (mp3)

     «Получение файла записи разговора». The recording named by a record's
    `recordFileName`, as an mp3 file. `filename` may arrive single-encoded
    (`2022-07-15%2F1657...`) or double-encoded (`2022-08-19%252F1662...`);
    both work (decision D28). It is sent as an attachment
    (`Content-Disposition`), and byte ranges (`Range: bytes=...`) are
    answered with 206, as browser audio players expect (decision D26).

    The recording is stereo: channel A (the caller) on the left, channel B
    (the callee) on the right (decision D40). In the mock it says the call's
    transcript (GET /call-records/file/stt) aloud, each word at the
    `startTime` the transcript gives, and lasts `conversationDuration`.

    Args:
        filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
            optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
            and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
            that names no recording answers 404, and so does an empty one: an unanswered call's
            `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.
        range_ (str | Unset): A byte range (`bytes=START-END`, `bytes=START-` or `bytes=-SUFFIX`),
            RFC 9110. Several ranges in one header are answered with the whole recording, 200
            (decision D26). Example: bytes=0-1023.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        bytes | SpringError | TokenExpiredError | TokenSupersededError
    """

    return (
        await asyncio_detailed(
            client=client,
            filename=filename,
            range_=range_,
        )
    ).parsed
