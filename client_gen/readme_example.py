"""tele2_ats_client in use: a self-refreshing token pair, errors as typed exceptions, the whole
journal page by page, recordings saved to files, sync and async.

Start the mock (`make run` prints a token pair), then:

    TELE2_ACCESS_TOKEN=... TELE2_REFRESH_TOKEN=... python client_gen/readme_example.py

It writes (a blacklist entry it removes again, one click-to-call), so it runs against the local
mock only. Refreshed pairs are stored in tele2-tokens.json (TELE2_TOKEN_FILE) and preferred on the
next run; recordings are saved into the current directory.
"""

import asyncio
import datetime
import io
import json
import os
from pathlib import Path

from tele2_ats_client import (
    LOCAL_MOCK_BASE_URL,
    OK,
    AsyncTele2Ats,
    RefreshingClient,
    RetryPolicy,
    Tele2Ats,
    TokenPair,
    errors,
)
from tele2_ats_client.api.click_to_call import initiate_call
from tele2_ats_client.api.employees import get_employees

TOKEN_FILE = Path(os.environ.get("TELE2_TOKEN_FILE", "tele2-tokens.json"))


def load_tokens() -> TokenPair:
    """The pair stored by the last refresh, else the one given in the environment."""
    if TOKEN_FILE.exists():
        return TokenPair.from_dict(json.loads(TOKEN_FILE.read_text()))
    return TokenPair(
        access_token=os.environ["TELE2_ACCESS_TOKEN"],
        refresh_token=os.environ["TELE2_REFRESH_TOKEN"],
    )


def save_tokens(pair: TokenPair) -> None:
    """Called after each refresh: the old refresh token is dead now, so keep the new pair."""
    TOKEN_FILE.write_text(json.dumps(pair.to_dict()))


def make_client() -> RefreshingClient:
    tokens = load_tokens()
    return RefreshingClient(
        base_url=LOCAL_MOCK_BASE_URL,  # the default is production, https://ats2.t2.ru/crm/openapi
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        on_tokens_refreshed=save_tokens,
        # 429 or 503: wait (Retry-After, else 0.5 s, 1 s, 2 s) and send again; 4 attempts at most.
        retry=RetryPolicy(attempts=4),
    )


def generated_functions(client: RefreshingClient) -> None:
    # The generated functions return a documented error as its model instead of raising it.
    employees = get_employees.sync(client=client)
    if not isinstance(employees, list):  # SpringError, TokenExpiredError, ... or None
        raise SystemExit(f"GET /employees failed: {employees!r}")
    # An absent field is UNSET, which is falsy: the condition narrows `str | Unset` to `str`.
    source = next(e.full_number for e in employees if e.full_number)
    placed = initiate_call.sync(client=client, source=source, destination="79533933557")
    print("call placed:", placed is OK)  # OK: 200 without a body; None: an undocumented status


def errors_as_exceptions(api: Tele2Ats) -> None:
    # Tele2Ats returns the success type only and raises errors.ApiError subclasses for the rest.
    for employee in api.get_employees():  # list[Employee]
        print(employee.employee_id, employee.name, employee.full_number)  # absent: UNSET
    try:
        api.add_to_blacklist(body="79998887766")
        api.add_to_blacklist(body="79998887766")  # HTTP 200 "DUPLICATE_BLACK_LIST_NUMBER"
    except errors.DuplicateBlackListNumber as refused:
        print("refused:", refused.code)
    finally:
        api.delete_from_blacklist("79998887766")
    try:
        api.get_manager(999_999)
    except errors.NotFound as missing:  # .status_code, .parsed (SpringError), .request
        print("not found:", missing.message, "for", missing.request.url.path)


def journal_and_recordings(api: Tele2Ats, end: datetime.datetime, downloads: Path) -> None:
    start = end - datetime.timedelta(days=7)  # start and end must be timezone-aware
    # Every recorded call of the week, 500 a page, until a page comes back shorter.
    recorded = list(api.iter_call_records(start=start, end=end, is_recorded=True, page_size=500))
    print(len(recorded), "recorded calls")
    for record in recorded[:1]:
        path = downloads / (record.record_file_name.replace("/", "_") + ".mp3")
        size = api.download_recording(record.record_file_name, path)  # streamed to the file
        print("saved", path, size, "bytes")
        into_memory = io.BytesIO()
        api.download_recording(record.record_file_name, into_memory)  # or into any binary stream
        try:
            words = api.get_call_record_transcript(filename=record.record_file_name)
            print(" ".join(f"{word.channel}:{word.word}" for word in words))
        except errors.NotFound:
            print("no transcript")


async def concurrently(api: AsyncTele2Ats, end: datetime.datetime, downloads: Path) -> None:
    # The same methods, awaited; concurrent requests share one refresh of a dead pair.
    calls, queues = await asyncio.gather(api.get_current_calls(), api.get_pending_calls())
    print(len(calls), "calls in progress;", sum(len(q.calls) for q in queues), "waiting")
    start = end - datetime.timedelta(days=1)
    async for record in api.iter_call_records(start=start, end=end, is_recorded=True):
        size = await api.download_recording(record.record_file_name, downloads / "latest.mp3")
        print("saved latest.mp3,", size, "bytes")
        break


def run(client: RefreshingClient, end: datetime.datetime, downloads: Path) -> None:
    with client:  # the sync httpx client is opened and closed here
        generated_functions(client)
        api = Tele2Ats(client)
        errors_as_exceptions(api)
        journal_and_recordings(api, end, downloads)
    asyncio.run(run_async(client, end, downloads))


async def run_async(client: RefreshingClient, end: datetime.datetime, downloads: Path) -> None:
    async with AsyncTele2Ats(client) as api:  # the async httpx client is opened and closed here
        await concurrently(api, end, downloads)


def main() -> None:
    client = make_client()  # one client, one live token pair, for sync and async calls alike
    run(client, datetime.datetime.now(datetime.UTC), Path.cwd())


if __name__ == "__main__":
    main()
