"""`Tele2Ats` and `AsyncTele2Ats`: every operation as a method that returns its success type only
and raises `errors.ApiError` subclasses for everything else, plus the helpers a user would
otherwise write (`iter_call_records`, `download_recording`).

    api = Tele2Ats(RefreshingClient(access_token=..., refresh_token=...))
    with api:
        for employee in api.get_employees():  # list[Employee]
            ...
        api.add_to_blacklist(body="79998887766")  # errors.DuplicateBlackListNumber if listed

The methods are the raising form of the generated `api.*` functions, with the same arguments; those
functions stay as they are, returning documented errors as models.
"""

import contextlib
import datetime
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any, Protocol, Self, cast

import httpx

from . import errors
from .api.authorization import refresh_token
from .api.blacklist import add_to_blacklist, clear_blacklist, delete_from_blacklist, get_blacklist
from .api.call_records import get_call_record_file, get_call_record_transcript, get_call_records
from .api.click_to_call import initiate_call
from .api.employees import get_employees
from .api.managers import create_manager, delete_manager, get_manager, get_managers, update_manager
from .api.monitoring import get_current_calls, get_pending_calls
from .api.statistics import get_common_statistics, get_journal_statistics
from .client import AuthenticatedClient, Client
from .models.blacklist_entry import BlacklistEntry
from .models.blacklist_removal_result_code import BlacklistRemovalResultCode
from .models.blacklist_result_code import BlacklistResultCode
from .models.call_record import CallRecord
from .models.common_statistics import CommonStatistics
from .models.employee import Employee
from .models.journal_statistics import JournalStatistics
from .models.manager import Manager
from .models.manager_input import ManagerInput
from .models.manager_result_code import ManagerResultCode
from .models.manager_update import ManagerUpdate
from .models.monitoring_call import MonitoringCall
from .models.pending_queue import PendingQueue
from .models.stt_word import SttWord
from .models.token_pair import TokenPair
from .types import UNSET, Unset

PAGE_SIZE_MAX = 2000
"""The largest `size` of GET /call-records/info (decision D17)."""


class _Parser(Protocol):
    def __call__(self, *, client: AuthenticatedClient | Client, response: httpx.Response) -> object: ...


def _error(response: httpx.Response, parsed: object) -> errors.ApiError:
    """The exception of an answer that is not a success."""
    return errors.error_for(response, parsed) or errors.UnexpectedStatus(response)


def _checked(response: httpx.Response, parsed: object) -> object:
    """`parsed`, if the answer is the success asked for; else raise its exception."""
    error = errors.error_for(response, parsed)
    if error is not None:
        raise error
    return parsed


def _check_page_size(page_size: int) -> None:
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        raise ValueError(f"page_size must be 1 to {PAGE_SIZE_MAX}, not {page_size}")


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new file beside `path`, opened for writing with the mode open() gives a new file (0666
    less the umask; tempfile.mkstemp's 0600 would keep a web server running as another user from
    serving the recording)."""
    while True:
        temporary = str(path.parent / f".{path.name}.{secrets.token_hex(8)}.part")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:  # pragma: no cover - 64 random bits met an earlier name
            continue


@contextlib.contextmanager
def _opened(to: str | os.PathLike[str] | IO[bytes]) -> Iterator[IO[bytes]]:
    """`to` itself if it is a stream; for a path, a temporary file renamed to it on success."""
    if not isinstance(to, str | os.PathLike):
        yield to
        return
    path = Path(to)
    descriptor, temporary = _temporary_beside(path)
    try:
        with os.fdopen(descriptor, "wb") as file:
            yield file
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


class Tele2Ats:
    """Every operation as a method that returns its success type and raises `errors.ApiError`.

    `client` is any AuthenticatedClient (a RefreshingClient refreshes the pair first, as always);
    `with Tele2Ats(client) as api:` opens and closes its httpx client.
    """

    def __init__(self, client: AuthenticatedClient) -> None:
        self.client = client

    def __enter__(self) -> Self:
        self.client.__enter__()
        return self

    def __exit__(self, *args: Any) -> None:
        self.client.__exit__(*args)

    def _call(self, kwargs: dict[str, Any], parse: _Parser) -> object:
        response = self.client.get_httpx_client().request(**kwargs)
        return _checked(response, parse(client=self.client, response=response))

    def refresh_token(self) -> TokenPair:
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

        The raising form of `tele2_ats_client.api.authorization.refresh_token`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            TokenPair
        """
        kwargs = refresh_token._get_kwargs()
        return cast(TokenPair, self._call(kwargs, refresh_token._parse_response))

    def add_to_blacklist(
        self,
        *,
        body: str,
    ) -> BlacklistResultCode:
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

        The raising form of `tele2_ats_client.api.blacklist.add_to_blacklist`.

        Args:
            body (str): The msisdn to blacklist, `7XXXXXXXXXX`. Example: 79998887766.

        Raises:
            errors.DuplicateBlackListNumber: the answer is the result code
                DUPLICATE_BLACK_LIST_NUMBER; nothing was saved.
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            BlacklistResultCode
        """
        kwargs = add_to_blacklist._get_kwargs(
            body=body,
        )
        return cast(BlacklistResultCode, self._call(kwargs, add_to_blacklist._parse_response))

    def clear_blacklist(self) -> BlacklistRemovalResultCode:
        """Remove every number from the blacklist

        «Удаление всех номеров из черного списка». Removes every entry, `MANUAL` and `FILE` alike.

        The raising form of `tele2_ats_client.api.blacklist.clear_blacklist`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            BlacklistRemovalResultCode
        """
        kwargs = clear_blacklist._get_kwargs()
        return cast(BlacklistRemovalResultCode, self._call(kwargs, clear_blacklist._parse_response))

    def delete_from_blacklist(
        self,
        msisdn: str,
    ) -> BlacklistRemovalResultCode:
        """Remove a number from the blacklist

        «Удаление номера из черного списка». `SUCCESS`, also when the number was not listed (decision
        D15). The number must be in the form `7XXXXXXXXXX`, else 400 (decision D27).

        The raising form of `tele2_ats_client.api.blacklist.delete_from_blacklist`.

        Args:
            msisdn (str): The number to remove, `7XXXXXXXXXX`. Example: 77473370262.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            BlacklistRemovalResultCode
        """
        kwargs = delete_from_blacklist._get_kwargs(
            msisdn=msisdn,
        )
        return cast(BlacklistRemovalResultCode, self._call(kwargs, delete_from_blacklist._parse_response))

    def get_blacklist(self) -> list[BlacklistEntry]:
        """List the blacklist

        «Получение всего черного списка».

        The raising form of `tele2_ats_client.api.blacklist.get_blacklist`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[BlacklistEntry]
        """
        kwargs = get_blacklist._get_kwargs()
        return cast(list[BlacklistEntry], self._call(kwargs, get_blacklist._parse_response))

    def get_call_record_file(
        self,
        *,
        filename: str,
        range_: str | Unset = UNSET,
    ) -> bytes:
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

        The raising form of `tele2_ats_client.api.call_records.get_call_record_file`.

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
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405, 416.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            bytes
        """
        kwargs = get_call_record_file._get_kwargs(
            filename=filename,
            range_=range_,
        )
        return cast(bytes, self._call(kwargs, get_call_record_file._parse_response))

    def get_call_record_transcript(
        self,
        *,
        filename: str,
    ) -> list[SttWord]:
        """Get the transcript (speech-to-text) of a recording

        «Получение транскрибированного текста записей разговоров». The words of
        the recording with their times in seconds from the start of the
        recording; `channel` is the author: `A` the caller, `B` the callee.
        A recording without a transcript answers 404 (decision D50). The guide's table writes
        `Filename`; the parameter is `filename` (decision D3), shaped as for the
        recording (decision D28).

        The raising form of `tele2_ats_client.api.call_records.get_call_record_transcript`.

        Args:
            filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
                optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
                and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
                that names no recording answers 404, and so does an empty one: an unanswered call's
                `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[SttWord]
        """
        kwargs = get_call_record_transcript._get_kwargs(
            filename=filename,
        )
        return cast(list[SttWord], self._call(kwargs, get_call_record_transcript._parse_response))

    def get_call_records(
        self,
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
    ) -> list[CallRecord]:
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

        The raising form of `tele2_ats_client.api.call_records.get_call_records`.

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
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[CallRecord]
        """
        kwargs = get_call_records._get_kwargs(
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
        return cast(list[CallRecord], self._call(kwargs, get_call_records._parse_response))

    def initiate_call(
        self,
        *,
        destination: str,
        source: str,
    ) -> None:
        """Place a call through the PBX (click-to-call)

        «Click 2 call (вызов через АТС)». The PBX first calls the employee's
        number `source`, then connects the employee to `destination`. There is
        no request body and the answer carries no call id: clients find the call
        later in GET /call-records/info by its time (it is journalled as
        `CRM_OUTGOING`). A trailing slash (`/call/outgoing/?...`), as one client
        sends, is accepted. Numbers per decisions D22 and D24: `8XXXXXXXXXX` and
        `+7XXXXXXXXXX` are the same subscriber as `7XXXXXXXXXX`.

        The raising form of `tele2_ats_client.api.click_to_call.initiate_call`.

        Args:
            destination (str): The client's phone number («Номер телефона клиента»), 3 to 15 digits
                with an optional leading `+` (decision D24). Example: 79533933557.
            source (str): The full number of one of the company's employees («Номер телефона
                сотрудника»), in the 7-, 8- or +7-form (decision D22). Any other value answers 404
                (decision D24). Example: 79026840778.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            None
        """
        kwargs = initiate_call._get_kwargs(
            destination=destination,
            source=source,
        )
        self._call(kwargs, initiate_call._parse_response)

    def get_employees(self) -> list[Employee]:
        """List the company's employees

        «Получение списка сотрудников компании». Every field but `employeeId`
        may be absent, as the guide's example shows.

        The raising form of `tele2_ats_client.api.employees.get_employees`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[Employee]
        """
        kwargs = get_employees._get_kwargs()
        return cast(list[Employee], self._call(kwargs, get_employees._parse_response))

    def create_manager(
        self,
        *,
        body: ManagerInput,
    ) -> ManagerResultCode:
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

        The raising form of `tele2_ats_client.api.managers.create_manager`.

        Args:
            body (ManagerInput): The manager to create («Объект класса Менеджер»); `id` is read-only
                and, like `companyId`, ignored when sent (decisions D6, D8). The guide's own example sends
                both, as this body (accepted; the ids and `companyId` are ignored): ```json {"companyId":
                1, "customers": [{"clientId": 1, "companyId": 1, "companyName": "test", "id": 1, "info":
                "test", "isVip": true, "name": "Ivanov", "realNumber": "8809889666"}], "employeeId": 2,
                "handleAllCustomers": true, "id": 45, "name": "Petrov"} ```

        Raises:
            errors.CustomerAlreadyAssigned: the answer is the result code CUSTOMER_ALREADY_ASSIGNED;
                nothing was saved.
            errors.ManagerHandlingAllCustomersAlreadyExists: the answer is the result code
                MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS; nothing was saved.
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405, 415.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            ManagerResultCode
        """
        kwargs = create_manager._get_kwargs(
            body=body,
        )
        return cast(ManagerResultCode, self._call(kwargs, create_manager._parse_response))

    def delete_manager(
        self,
        id: int,
    ) -> None:
        """Delete a personal manager

        «Удаление менеджера». 200 with no body; 404 when the company has no manager with this id.

        The raising form of `tele2_ats_client.api.managers.delete_manager`.

        Args:
            id (int): The manager's id («ID менеджера», long). Example: 26.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            None
        """
        kwargs = delete_manager._get_kwargs(
            id=id,
        )
        self._call(kwargs, delete_manager._parse_response)

    def get_manager(
        self,
        id: int,
    ) -> Manager:
        """Get one personal manager

        «Получение менеджера по ID». 404 when the company has no manager with this id.

        The raising form of `tele2_ats_client.api.managers.get_manager`.

        Args:
            id (int): The manager's id («ID менеджера», long). Example: 26.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            Manager
        """
        kwargs = get_manager._get_kwargs(
            id=id,
        )
        return cast(Manager, self._call(kwargs, get_manager._parse_response))

    def get_managers(self) -> list[Manager]:
        """List the company's personal managers

        «Получение списка менеджеров».

        The raising form of `tele2_ats_client.api.managers.get_managers`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[Manager]
        """
        kwargs = get_managers._get_kwargs()
        return cast(list[Manager], self._call(kwargs, get_managers._parse_response))

    def update_manager(
        self,
        *,
        body: ManagerUpdate,
    ) -> ManagerResultCode:
        """Update a personal manager

        «Редактирование менеджера». Replaces the manager named by `id` with
        the body: its name, employee, flag and customer list. Customers of the
        body that carry the `id` of one of this manager's customers keep that
        id; the others get new ids. Result codes as for POST; when not
        `SUCCESS` nothing is saved. `id` missing or unknown answers 404, as the
        guide says (decision D9).

        The raising form of `tele2_ats_client.api.managers.update_manager`.

        Args:
            body (ManagerUpdate): The manager's new state («Объект класса Менеджер»); `id` names the
                manager to change and must be present (else 404, decision D9; a null `id` is a missing
                one, and so is any null member, decision D47).

        Raises:
            errors.CustomerAlreadyAssigned: the answer is the result code CUSTOMER_ALREADY_ASSIGNED;
                nothing was saved.
            errors.ManagerHandlingAllCustomersAlreadyExists: the answer is the result code
                MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS; nothing was saved.
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405, 415.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            ManagerResultCode
        """
        kwargs = update_manager._get_kwargs(
            body=body,
        )
        return cast(ManagerResultCode, self._call(kwargs, update_manager._parse_response))

    def get_current_calls(self) -> list[MonitoringCall]:
        """List the calls in progress

        «Получение информации о текущих звонках». One entry per call in
        progress. `calledNumberShort` and `calledNumberFull` are absent while
        the PBX has not yet directed the caller to party B; a caller waiting in
        a call-centre queue is listed too, without them. The guide sets no rate
        of polling; the mock advises at most once a second (decision D46).

        The raising form of `tele2_ats_client.api.monitoring.get_current_calls`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[MonitoringCall]
        """
        kwargs = get_current_calls._get_kwargs()
        return cast(list[MonitoringCall], self._call(kwargs, get_current_calls._parse_response))

    def get_pending_calls(self) -> list[PendingQueue]:
        """List the callers waiting in call-centre queues

        «Получение списка абонентов в очереди». One entry per call-centre queue
        («КЦ») that has callers waiting, with their numbers in arrival order.
        Poll it at most once a second (decision D46).

        The raising form of `tele2_ats_client.api.monitoring.get_pending_calls`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[PendingQueue]
        """
        kwargs = get_pending_calls._get_kwargs()
        return cast(list[PendingQueue], self._call(kwargs, get_pending_calls._parse_response))

    def get_common_statistics(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        subscriber_number: str | Unset = UNSET,
    ) -> CommonStatistics:
        """Call statistics of the company or of one number

        «Получение общей статистики». Statistics over the calls of the journal
        whose `date` lies in `[start, end)` (decision D18: a window whose start
        is not before its end counts nothing): for the whole company, or, with
        `subscriberNumber`, for the calls where that number is the caller or the
        callee.

        The guide labels each figure (quoted in the schema CommonStatistics) and
        gives one sample answer, the example below. The definitions are the
        ones under which that sample is consistent, figure with figure
        (decisions D19, D20, D52, D53, each with the sample's arithmetic that
        supports it and what the sample leaves open); every figure can be
        recomputed from GET /call-records/info over the same window. Confirm
        the open points against production with the real-service contract run.

        A call of the window is *internal* (`callType` `INTERNAL` or
        `HIMSELF`) or *external* (any other type, incoming, outgoing or through
        a queue). An external call is *successful* (`callStatus` starting with
        `ANSWERED_`) or *lost* (any other status). Durations are whole seconds
        of `conversationDuration` (0 for a call without one); every average is
        the floor of sum / count, and 0 when the count is 0.
        - `allCallCount`: all calls = `successCallCount` + `lostCallCount` +
          `internalCallCount` (the sample: 22 = 8 + 5 + 9).
        - `successCallCount`: successful calls; `lostCallCount`: lost calls,
          in either direction (an outgoing call nobody answered is lost too).
        - `outgoingCallCount`: external calls of type `OUTGOING`,
          `CRM_OUTGOING` or `CRM_CALLBACK`.
        - `commonCallDuration`: the conversations of the successful calls, in
          all; `maxCallDuration` and `mnMaxCallDuration` both the longest of
          them (the sample: 72 and 72); `mnAvgCallDuration` =
          floor(`commonCallDuration` / `successCallCount`) (the sample:
          floor(178 / 8) = 22).
        - `averageCallDuration` = floor(`commonCallDuration` / (`allCallCount`
          − `lostCallCount`)) (decision D52: the sample's floor(178 / 17) = 10,
          the one figure its arithmetic does not fix).
        - `callCountPerDay`: external calls (`successCallCount` +
          `lostCallCount`) / the calendar days, in Moscow time, that the window
          touches (decision D53; the sample: 13 / 3); `callCountPerHour` =
          `callCountPerDay` / 24; `averageCallCountPerHour` =
          floor(`callCountPerHour`). All three 0 for an empty window.
        - `transferCallCount`: successful calls answered by a forward target
          (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
          `transferCallDuration` their conversations in all;
          `averageTransferCallDuration` the floor of their average.
        - `hangupACallCount`: lost calls the caller ended while it rang
          (`CANCELLED_BY_CALLER`); `hangupBCallCount`: lost calls the employee
          turned down (`DESTINATION_BUSY`) (decision D20). So
          `hangupACallCount` + `hangupBCallCount` <= `lostCallCount` (the
          sample: 1 + 2 <= 5).
        - `uniqueCallCount`: distinct caller numbers among the successful
          calls; `redialCount` = `successCallCount` − `uniqueCallCount` (the
          sample: 2 + 6 = 8).
        - `internalCallCount`: internal calls; `internalCallDuration` their
          conversations in all; `averageInternalCallDuration` =
          floor(`internalCallDuration` / `internalCallCount`) (the sample:
          floor(717 / 9) = 79).

        The raising form of `tele2_ats_client.api.statistics.get_common_statistics`.

        Args:
            start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
                date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
                UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
                takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
            end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
                whose start is not before its end holds no call (decision D18). Example:
                2022-07-26T10:15:30+03:00.
            subscriber_number (str | Unset): A number of the PBX in the form `7XXXXXXXXXX`; without it
                the statistics cover the whole company. The guide lists this parameter under "Параметры
                path", but the path has no placeholder for it and clients send it in the query (decision
                D2). Example: 79998887766.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            CommonStatistics
        """
        kwargs = get_common_statistics._get_kwargs(
            start=start,
            end=end,
            subscriber_number=subscriber_number,
        )
        return cast(CommonStatistics, self._call(kwargs, get_common_statistics._parse_response))

    def get_journal_statistics(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        number: str | Unset = UNSET,
    ) -> JournalStatistics:
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

        The raising form of `tele2_ats_client.api.statistics.get_journal_statistics`.

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
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            JournalStatistics
        """
        kwargs = get_journal_statistics._get_kwargs(
            start=start,
            end=end,
            number=number,
        )
        return cast(JournalStatistics, self._call(kwargs, get_journal_statistics._parse_response))

    def iter_call_records(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        caller: str | Unset = UNSET,
        callee: str | Unset = UNSET,
        is_recorded: bool | Unset = False,
        sort: list[str] | Unset = UNSET,
        company_id: int | Unset = UNSET,
        page_size: int = PAGE_SIZE_MAX,
    ) -> Iterator[CallRecord]:
        """Every call record of the window `[start, end)`, fetched page by page as it is consumed.

        Sends `get_call_records` with `page` 0, 1, 2, ... and `size=page_size`, and stops after
        the first page shorter than `page_size` (the API has no total count: real clients stop the
        same way). `page_size` is at most `PAGE_SIZE_MAX` (2000), the service's bound
        (decision D17). Keep the default ascending `sort`: calls that land in the journal while you
        iterate are then added after the pages already read, instead of shifting records across pages.

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
            page_size: records per request, 1 to `PAGE_SIZE_MAX`.

        Raises:
            ValueError: `page_size` is out of bounds.
            errors.ApiError: as `get_call_records` does, for the page that failed.
        """
        _check_page_size(page_size)
        page = 0
        while True:
            records = self.get_call_records(
                start=start,
                end=end,
                caller=caller,
                callee=callee,
                is_recorded=is_recorded,
                sort=sort,
                company_id=company_id,
                page=page,
                size=page_size,
            )
            yield from records
            if len(records) < page_size:
                return
            page += 1

    def download_recording(
        self, filename: str, to: str | os.PathLike[str] | IO[bytes], *, chunk_size: int = 65536
    ) -> int:
        """Stream the recording `filename` (a record's `record_file_name`) into `to`; return its size.

        `to` is a path or a binary stream (an open file, `io.BytesIO`). The body is copied in chunks of
        `chunk_size` bytes, never held in memory whole. A path is written to a temporary file beside it
        and renamed over it only once complete: an error leaves no partial file.

        Raises:
            errors.NotFound: no such recording.
            errors.ApiError: as `get_call_record_file` does.
        """
        kwargs = get_call_record_file._get_kwargs(filename=filename)
        with self.client.get_httpx_client().stream(**kwargs) as response:
            if not response.is_success:
                response.read()
                raise _error(response, get_call_record_file._parse_response(client=self.client, response=response))
            written = 0
            with _opened(to) as file:
                for chunk in response.iter_bytes(chunk_size):
                    written += file.write(chunk)
            return written


class AsyncTele2Ats:
    """The asyncio twin of `Tele2Ats`: the same methods, awaited; `iter_call_records` is an
    async iterator. `async with AsyncTele2Ats(client) as api:` opens and closes its httpx client.
    """

    def __init__(self, client: AuthenticatedClient) -> None:
        self.client = client

    async def __aenter__(self) -> Self:
        await self.client.__aenter__()
        return self

    async def __aexit__(self, *args: Any) -> None:
        await self.client.__aexit__(*args)

    async def _call(self, kwargs: dict[str, Any], parse: _Parser) -> object:
        response = await self.client.get_async_httpx_client().request(**kwargs)
        return _checked(response, parse(client=self.client, response=response))

    async def refresh_token(self) -> TokenPair:
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

        The raising form of `tele2_ats_client.api.authorization.refresh_token`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            TokenPair
        """
        kwargs = refresh_token._get_kwargs()
        return cast(TokenPair, await self._call(kwargs, refresh_token._parse_response))

    async def add_to_blacklist(
        self,
        *,
        body: str,
    ) -> BlacklistResultCode:
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

        The raising form of `tele2_ats_client.api.blacklist.add_to_blacklist`.

        Args:
            body (str): The msisdn to blacklist, `7XXXXXXXXXX`. Example: 79998887766.

        Raises:
            errors.DuplicateBlackListNumber: the answer is the result code
                DUPLICATE_BLACK_LIST_NUMBER; nothing was saved.
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            BlacklistResultCode
        """
        kwargs = add_to_blacklist._get_kwargs(
            body=body,
        )
        return cast(BlacklistResultCode, await self._call(kwargs, add_to_blacklist._parse_response))

    async def clear_blacklist(self) -> BlacklistRemovalResultCode:
        """Remove every number from the blacklist

        «Удаление всех номеров из черного списка». Removes every entry, `MANUAL` and `FILE` alike.

        The raising form of `tele2_ats_client.api.blacklist.clear_blacklist`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            BlacklistRemovalResultCode
        """
        kwargs = clear_blacklist._get_kwargs()
        return cast(BlacklistRemovalResultCode, await self._call(kwargs, clear_blacklist._parse_response))

    async def delete_from_blacklist(
        self,
        msisdn: str,
    ) -> BlacklistRemovalResultCode:
        """Remove a number from the blacklist

        «Удаление номера из черного списка». `SUCCESS`, also when the number was not listed (decision
        D15). The number must be in the form `7XXXXXXXXXX`, else 400 (decision D27).

        The raising form of `tele2_ats_client.api.blacklist.delete_from_blacklist`.

        Args:
            msisdn (str): The number to remove, `7XXXXXXXXXX`. Example: 77473370262.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            BlacklistRemovalResultCode
        """
        kwargs = delete_from_blacklist._get_kwargs(
            msisdn=msisdn,
        )
        return cast(BlacklistRemovalResultCode, await self._call(kwargs, delete_from_blacklist._parse_response))

    async def get_blacklist(self) -> list[BlacklistEntry]:
        """List the blacklist

        «Получение всего черного списка».

        The raising form of `tele2_ats_client.api.blacklist.get_blacklist`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[BlacklistEntry]
        """
        kwargs = get_blacklist._get_kwargs()
        return cast(list[BlacklistEntry], await self._call(kwargs, get_blacklist._parse_response))

    async def get_call_record_file(
        self,
        *,
        filename: str,
        range_: str | Unset = UNSET,
    ) -> bytes:
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

        The raising form of `tele2_ats_client.api.call_records.get_call_record_file`.

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
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405, 416.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            bytes
        """
        kwargs = get_call_record_file._get_kwargs(
            filename=filename,
            range_=range_,
        )
        return cast(bytes, await self._call(kwargs, get_call_record_file._parse_response))

    async def get_call_record_transcript(
        self,
        *,
        filename: str,
    ) -> list[SttWord]:
        """Get the transcript (speech-to-text) of a recording

        «Получение транскрибированного текста записей разговоров». The words of
        the recording with their times in seconds from the start of the
        recording; `channel` is the author: `A` the caller, `B` the callee.
        A recording without a transcript answers 404 (decision D50). The guide's table writes
        `Filename`; the parameter is `filename` (decision D3), shaped as for the
        recording (decision D28).

        The raising form of `tele2_ats_client.api.call_records.get_call_record_transcript`.

        Args:
            filename (str): A record's `recordFileName` (`YYYY-MM-DD/<id>`, `<id>` digits with an
                optional `mo_` before them), single- or double-encoded: `2022-07-15%2F165787002922476116`
                and `2022-08-19%252F166243421852679930` both work (decision D28). A name of this shape
                that names no recording answers 404, and so does an empty one: an unanswered call's
                `recordFileName` is empty (decision D11). Example: 2022-07-15/165787002922476116.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[SttWord]
        """
        kwargs = get_call_record_transcript._get_kwargs(
            filename=filename,
        )
        return cast(list[SttWord], await self._call(kwargs, get_call_record_transcript._parse_response))

    async def get_call_records(
        self,
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
    ) -> list[CallRecord]:
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

        The raising form of `tele2_ats_client.api.call_records.get_call_records`.

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
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[CallRecord]
        """
        kwargs = get_call_records._get_kwargs(
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
        return cast(list[CallRecord], await self._call(kwargs, get_call_records._parse_response))

    async def initiate_call(
        self,
        *,
        destination: str,
        source: str,
    ) -> None:
        """Place a call through the PBX (click-to-call)

        «Click 2 call (вызов через АТС)». The PBX first calls the employee's
        number `source`, then connects the employee to `destination`. There is
        no request body and the answer carries no call id: clients find the call
        later in GET /call-records/info by its time (it is journalled as
        `CRM_OUTGOING`). A trailing slash (`/call/outgoing/?...`), as one client
        sends, is accepted. Numbers per decisions D22 and D24: `8XXXXXXXXXX` and
        `+7XXXXXXXXXX` are the same subscriber as `7XXXXXXXXXX`.

        The raising form of `tele2_ats_client.api.click_to_call.initiate_call`.

        Args:
            destination (str): The client's phone number («Номер телефона клиента»), 3 to 15 digits
                with an optional leading `+` (decision D24). Example: 79533933557.
            source (str): The full number of one of the company's employees («Номер телефона
                сотрудника»), in the 7-, 8- or +7-form (decision D22). Any other value answers 404
                (decision D24). Example: 79026840778.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            None
        """
        kwargs = initiate_call._get_kwargs(
            destination=destination,
            source=source,
        )
        await self._call(kwargs, initiate_call._parse_response)

    async def get_employees(self) -> list[Employee]:
        """List the company's employees

        «Получение списка сотрудников компании». Every field but `employeeId`
        may be absent, as the guide's example shows.

        The raising form of `tele2_ats_client.api.employees.get_employees`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[Employee]
        """
        kwargs = get_employees._get_kwargs()
        return cast(list[Employee], await self._call(kwargs, get_employees._parse_response))

    async def create_manager(
        self,
        *,
        body: ManagerInput,
    ) -> ManagerResultCode:
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

        The raising form of `tele2_ats_client.api.managers.create_manager`.

        Args:
            body (ManagerInput): The manager to create («Объект класса Менеджер»); `id` is read-only
                and, like `companyId`, ignored when sent (decisions D6, D8). The guide's own example sends
                both, as this body (accepted; the ids and `companyId` are ignored): ```json {"companyId":
                1, "customers": [{"clientId": 1, "companyId": 1, "companyName": "test", "id": 1, "info":
                "test", "isVip": true, "name": "Ivanov", "realNumber": "8809889666"}], "employeeId": 2,
                "handleAllCustomers": true, "id": 45, "name": "Petrov"} ```

        Raises:
            errors.CustomerAlreadyAssigned: the answer is the result code CUSTOMER_ALREADY_ASSIGNED;
                nothing was saved.
            errors.ManagerHandlingAllCustomersAlreadyExists: the answer is the result code
                MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS; nothing was saved.
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405, 415.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            ManagerResultCode
        """
        kwargs = create_manager._get_kwargs(
            body=body,
        )
        return cast(ManagerResultCode, await self._call(kwargs, create_manager._parse_response))

    async def delete_manager(
        self,
        id: int,
    ) -> None:
        """Delete a personal manager

        «Удаление менеджера». 200 with no body; 404 when the company has no manager with this id.

        The raising form of `tele2_ats_client.api.managers.delete_manager`.

        Args:
            id (int): The manager's id («ID менеджера», long). Example: 26.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            None
        """
        kwargs = delete_manager._get_kwargs(
            id=id,
        )
        await self._call(kwargs, delete_manager._parse_response)

    async def get_manager(
        self,
        id: int,
    ) -> Manager:
        """Get one personal manager

        «Получение менеджера по ID». 404 when the company has no manager with this id.

        The raising form of `tele2_ats_client.api.managers.get_manager`.

        Args:
            id (int): The manager's id («ID менеджера», long). Example: 26.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            Manager
        """
        kwargs = get_manager._get_kwargs(
            id=id,
        )
        return cast(Manager, await self._call(kwargs, get_manager._parse_response))

    async def get_managers(self) -> list[Manager]:
        """List the company's personal managers

        «Получение списка менеджеров».

        The raising form of `tele2_ats_client.api.managers.get_managers`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[Manager]
        """
        kwargs = get_managers._get_kwargs()
        return cast(list[Manager], await self._call(kwargs, get_managers._parse_response))

    async def update_manager(
        self,
        *,
        body: ManagerUpdate,
    ) -> ManagerResultCode:
        """Update a personal manager

        «Редактирование менеджера». Replaces the manager named by `id` with
        the body: its name, employee, flag and customer list. Customers of the
        body that carry the `id` of one of this manager's customers keep that
        id; the others get new ids. Result codes as for POST; when not
        `SUCCESS` nothing is saved. `id` missing or unknown answers 404, as the
        guide says (decision D9).

        The raising form of `tele2_ats_client.api.managers.update_manager`.

        Args:
            body (ManagerUpdate): The manager's new state («Объект класса Менеджер»); `id` names the
                manager to change and must be present (else 404, decision D9; a null `id` is a missing
                one, and so is any null member, decision D47).

        Raises:
            errors.CustomerAlreadyAssigned: the answer is the result code CUSTOMER_ALREADY_ASSIGNED;
                nothing was saved.
            errors.ManagerHandlingAllCustomersAlreadyExists: the answer is the result code
                MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS; nothing was saved.
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.NotFound: HTTP 404.
            errors.ApiError: HTTP 405, 415.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            ManagerResultCode
        """
        kwargs = update_manager._get_kwargs(
            body=body,
        )
        return cast(ManagerResultCode, await self._call(kwargs, update_manager._parse_response))

    async def get_current_calls(self) -> list[MonitoringCall]:
        """List the calls in progress

        «Получение информации о текущих звонках». One entry per call in
        progress. `calledNumberShort` and `calledNumberFull` are absent while
        the PBX has not yet directed the caller to party B; a caller waiting in
        a call-centre queue is listed too, without them. The guide sets no rate
        of polling; the mock advises at most once a second (decision D46).

        The raising form of `tele2_ats_client.api.monitoring.get_current_calls`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[MonitoringCall]
        """
        kwargs = get_current_calls._get_kwargs()
        return cast(list[MonitoringCall], await self._call(kwargs, get_current_calls._parse_response))

    async def get_pending_calls(self) -> list[PendingQueue]:
        """List the callers waiting in call-centre queues

        «Получение списка абонентов в очереди». One entry per call-centre queue
        («КЦ») that has callers waiting, with their numbers in arrival order.
        Poll it at most once a second (decision D46).

        The raising form of `tele2_ats_client.api.monitoring.get_pending_calls`.

        Raises:
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            list[PendingQueue]
        """
        kwargs = get_pending_calls._get_kwargs()
        return cast(list[PendingQueue], await self._call(kwargs, get_pending_calls._parse_response))

    async def get_common_statistics(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        subscriber_number: str | Unset = UNSET,
    ) -> CommonStatistics:
        """Call statistics of the company or of one number

        «Получение общей статистики». Statistics over the calls of the journal
        whose `date` lies in `[start, end)` (decision D18: a window whose start
        is not before its end counts nothing): for the whole company, or, with
        `subscriberNumber`, for the calls where that number is the caller or the
        callee.

        The guide labels each figure (quoted in the schema CommonStatistics) and
        gives one sample answer, the example below. The definitions are the
        ones under which that sample is consistent, figure with figure
        (decisions D19, D20, D52, D53, each with the sample's arithmetic that
        supports it and what the sample leaves open); every figure can be
        recomputed from GET /call-records/info over the same window. Confirm
        the open points against production with the real-service contract run.

        A call of the window is *internal* (`callType` `INTERNAL` or
        `HIMSELF`) or *external* (any other type, incoming, outgoing or through
        a queue). An external call is *successful* (`callStatus` starting with
        `ANSWERED_`) or *lost* (any other status). Durations are whole seconds
        of `conversationDuration` (0 for a call without one); every average is
        the floor of sum / count, and 0 when the count is 0.
        - `allCallCount`: all calls = `successCallCount` + `lostCallCount` +
          `internalCallCount` (the sample: 22 = 8 + 5 + 9).
        - `successCallCount`: successful calls; `lostCallCount`: lost calls,
          in either direction (an outgoing call nobody answered is lost too).
        - `outgoingCallCount`: external calls of type `OUTGOING`,
          `CRM_OUTGOING` or `CRM_CALLBACK`.
        - `commonCallDuration`: the conversations of the successful calls, in
          all; `maxCallDuration` and `mnMaxCallDuration` both the longest of
          them (the sample: 72 and 72); `mnAvgCallDuration` =
          floor(`commonCallDuration` / `successCallCount`) (the sample:
          floor(178 / 8) = 22).
        - `averageCallDuration` = floor(`commonCallDuration` / (`allCallCount`
          − `lostCallCount`)) (decision D52: the sample's floor(178 / 17) = 10,
          the one figure its arithmetic does not fix).
        - `callCountPerDay`: external calls (`successCallCount` +
          `lostCallCount`) / the calendar days, in Moscow time, that the window
          touches (decision D53; the sample: 13 / 3); `callCountPerHour` =
          `callCountPerDay` / 24; `averageCallCountPerHour` =
          floor(`callCountPerHour`). All three 0 for an empty window.
        - `transferCallCount`: successful calls answered by a forward target
          (`ANSWERED_BY_BUSY_FORWARD_CLIENT`, `ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT`);
          `transferCallDuration` their conversations in all;
          `averageTransferCallDuration` the floor of their average.
        - `hangupACallCount`: lost calls the caller ended while it rang
          (`CANCELLED_BY_CALLER`); `hangupBCallCount`: lost calls the employee
          turned down (`DESTINATION_BUSY`) (decision D20). So
          `hangupACallCount` + `hangupBCallCount` <= `lostCallCount` (the
          sample: 1 + 2 <= 5).
        - `uniqueCallCount`: distinct caller numbers among the successful
          calls; `redialCount` = `successCallCount` − `uniqueCallCount` (the
          sample: 2 + 6 = 8).
        - `internalCallCount`: internal calls; `internalCallDuration` their
          conversations in all; `averageInternalCallDuration` =
          floor(`internalCallDuration` / `internalCallCount`) (the sample:
          floor(717 / 9) = 79).

        The raising form of `tele2_ats_client.api.statistics.get_common_statistics`.

        Args:
            start (datetime.datetime): Start of the window, inclusive (decision D18): an ISO 8601
                date-time with an offset («ISO OFFSET DATE TIME»), e.g. `2022-08-14T09:00:00+03:00`, or in
                UTC with milliseconds, e.g. `2022-08-14T06:00:00.000Z`. Offsets lie within ±18:00, as Java
                takes them (decision D29). Example: 2022-07-24T10:15:30+03:00.
            end (datetime.datetime): End of the window, exclusive; same format as `start`. A window
                whose start is not before its end holds no call (decision D18). Example:
                2022-07-26T10:15:30+03:00.
            subscriber_number (str | Unset): A number of the PBX in the form `7XXXXXXXXXX`; without it
                the statistics cover the whole company. The guide lists this parameter under "Параметры
                path", but the path has no placeholder for it and clients send it in the query (decision
                D2). Example: 79998887766.

        Raises:
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            CommonStatistics
        """
        kwargs = get_common_statistics._get_kwargs(
            start=start,
            end=end,
            subscriber_number=subscriber_number,
        )
        return cast(CommonStatistics, await self._call(kwargs, get_common_statistics._parse_response))

    async def get_journal_statistics(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        number: str | Unset = UNSET,
    ) -> JournalStatistics:
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

        The raising form of `tele2_ats_client.api.statistics.get_journal_statistics`.

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
            errors.BadRequest: HTTP 400; `message` says what was wrong.
            errors.TokenExpired, errors.TokenSuperseded: HTTP 403, the token is dead (a
                RefreshingClient refreshes it first, and raises errors.TokenRefreshFailed if it cannot).
            errors.Forbidden: HTTP 403, any other refusal of the token.
            errors.ApiError: HTTP 405.
            errors.UnexpectedStatus: a status the spec does not document.
            httpx.TimeoutException: If the request takes longer than Client.timeout.

        Returns:
            JournalStatistics
        """
        kwargs = get_journal_statistics._get_kwargs(
            start=start,
            end=end,
            number=number,
        )
        return cast(JournalStatistics, await self._call(kwargs, get_journal_statistics._parse_response))

    async def iter_call_records(
        self,
        *,
        start: datetime.datetime,
        end: datetime.datetime,
        caller: str | Unset = UNSET,
        callee: str | Unset = UNSET,
        is_recorded: bool | Unset = False,
        sort: list[str] | Unset = UNSET,
        company_id: int | Unset = UNSET,
        page_size: int = PAGE_SIZE_MAX,
    ) -> AsyncIterator[CallRecord]:
        """Every call record of the window `[start, end)`, fetched page by page as it is consumed.

        Sends `get_call_records` with `page` 0, 1, 2, ... and `size=page_size`, and stops after
        the first page shorter than `page_size` (the API has no total count: real clients stop the
        same way). `page_size` is at most `PAGE_SIZE_MAX` (2000), the service's bound
        (decision D17). Keep the default ascending `sort`: calls that land in the journal while you
        iterate are then added after the pages already read, instead of shifting records across pages.

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
            page_size: records per request, 1 to `PAGE_SIZE_MAX`.

        Raises:
            ValueError: `page_size` is out of bounds.
            errors.ApiError: as `get_call_records` does, for the page that failed.
        """
        _check_page_size(page_size)
        page = 0
        while True:
            records = await self.get_call_records(
                start=start,
                end=end,
                caller=caller,
                callee=callee,
                is_recorded=is_recorded,
                sort=sort,
                company_id=company_id,
                page=page,
                size=page_size,
            )
            for record in records:
                yield record
            if len(records) < page_size:
                return
            page += 1

    async def download_recording(
        self, filename: str, to: str | os.PathLike[str] | IO[bytes], *, chunk_size: int = 65536
    ) -> int:
        """Stream the recording `filename` (a record's `record_file_name`) into `to`; return its size.

        `to` is a path or a binary stream (an open file, `io.BytesIO`). The body is copied in chunks of
        `chunk_size` bytes, never held in memory whole. A path is written to a temporary file beside it
        and renamed over it only once complete: an error leaves no partial file (the file
        is written from the event loop, chunk by chunk).

        Raises:
            errors.NotFound: no such recording.
            errors.ApiError: as `get_call_record_file` does.
        """
        kwargs = get_call_record_file._get_kwargs(filename=filename)
        async with self.client.get_async_httpx_client().stream(**kwargs) as response:
            if not response.is_success:
                await response.aread()
                raise _error(response, get_call_record_file._parse_response(client=self.client, response=response))
            written = 0
            with _opened(to) as file:
                async for chunk in response.aiter_bytes(chunk_size):
                    written += file.write(chunk)
            return written


__all__ = ["PAGE_SIZE_MAX", "AsyncTele2Ats", "Tele2Ats"]
