"""tele2_ats_client in use: sync and async calls with a token pair that refreshes itself.

Start the mock (`make run` prints a token pair), then:

    TELE2_ACCESS_TOKEN=... TELE2_REFRESH_TOKEN=... python client_gen/readme_example.py

Refreshed pairs are stored in tele2-tokens.json (TELE2_TOKEN_FILE) and preferred on the next run.
"""

import asyncio
import datetime
import json
import os
from pathlib import Path

from tele2_ats_client import LOCAL_MOCK_BASE_URL, RefreshingClient, TokenPair
from tele2_ats_client.api.blacklist import add_to_blacklist, delete_from_blacklist
from tele2_ats_client.api.call_records import (
    get_call_record_file,
    get_call_record_transcript,
    get_call_records,
)
from tele2_ats_client.api.employees import get_employees
from tele2_ats_client.api.monitoring import get_current_calls, get_pending_calls
from tele2_ats_client.models import BlacklistResultCode

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
        base_url=os.environ.get("TELE2_BASE_URL", LOCAL_MOCK_BASE_URL),  # default: production
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        on_tokens_refreshed=save_tokens,
    )


def sync_example(client: RefreshingClient) -> None:
    employees = get_employees.sync(client=client)
    if not isinstance(employees, list):  # a documented error is returned as its model
        raise SystemExit(f"GET /employees failed: {employees}")
    for employee in employees:
        print(employee.employee_id, employee.name or "-", employee.full_number or "-")

    # The body is the bare msisdn, sent as text/plain; the answer is a BlacklistResultCode.
    added = add_to_blacklist.sync(client=client, body="79998887766")
    print("blacklisted:", added is BlacklistResultCode.SUCCESS)
    print("removed:", delete_from_blacklist.sync("79998887766", client=client))

    end = datetime.datetime.now(datetime.UTC)  # start and end must be timezone-aware
    records = get_call_records.sync(
        client=client, start=end - datetime.timedelta(days=7), end=end, is_recorded=True, size=3
    )
    for record in records if isinstance(records, list) else []:
        # recordFileName (`2022-07-15/1657...`) goes as it is: httpx encodes it once.
        mp3 = get_call_record_file.sync(client=client, filename=record.record_file_name)
        words = get_call_record_transcript.sync(client=client, filename=record.record_file_name)
        if isinstance(mp3, bytes) and isinstance(words, list):
            text = " ".join(f"{word.channel}:{word.word}" for word in words)
            print(record.record_file_name, f"{len(mp3)} bytes of mp3;", text)


async def async_example(client: RefreshingClient) -> None:
    # Concurrent requests share the pair: if it has died, they refresh it once between them.
    calls, queues = await asyncio.gather(
        get_current_calls.asyncio(client=client), get_pending_calls.asyncio(client=client)
    )
    if isinstance(calls, list) and isinstance(queues, list):
        print(len(calls), "calls in progress;", sum(len(q.calls) for q in queues), "waiting")


async def main_async(client: RefreshingClient) -> None:
    async with client:  # the async httpx client is opened and closed here
        await async_example(client)


def main() -> None:
    client = make_client()  # one client, one live token pair, for sync and async calls alike
    with client:  # the sync httpx client is opened and closed here
        sync_example(client)
    asyncio.run(main_async(client))


if __name__ == "__main__":
    main()
