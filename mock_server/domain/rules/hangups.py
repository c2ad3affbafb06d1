"""Which party ended each answered call: a fact the journal keeps (`calls.ended_by`).

A PBX knows which side put the phone down only for a conversation; a call that was never
answered ended by the PBX's own rules (no answer, busy, denied, cancelled while ringing). So
every answered call has exactly one party that ended it, and no other call has one.

These are not what `hangupACallCount` and `hangupBCallCount` count: the guide's 5.6.1 sample
has 1 + 2 hang-ups beside 8 answered calls, so those counts are of lost calls, the caller's
giving up and the employee's turning a call down (decision D20, `storage/rollups.py`).

The party is drawn for seeded history, and for a live call when it settles into the journal,
from the call's uuid, so the same seed gives the same journal.

>>> ended_by("ANSWERED_COMMON", "0f8c2a51-61aa-4c2e-9d0e-3b7d9d1c5a10")
'A'
>>> ended_by("CANCELLED_BY_CALLER", "0f8c2a51-61aa-4c2e-9d0e-3b7d9d1c5a1f") is None
True
"""

from __future__ import annotations

from mock_server.domain.rules.call_records import ANSWERED_PREFIX
from mock_server.domain.storage.call_rows import CALLEE, CALLER, Party

__all__ = ["CALLEE", "CALLER", "Party", "ended_by"]


def ended_by(call_status: str, call_uuid: str) -> Party | None:
    """The party that ended an answered call (A the caller, B the callee), None for others.

    Either party, half of the calls each, decided by the uuid's last character (of a hex
    digit's 16 values, 8 have an even code): the uuid is drawn from the seeded generator, so no
    further draw is needed and the rest of a seeded day stays as it was.
    """
    if not call_status.startswith(ANSWERED_PREFIX):
        return None
    return CALLER if call_uuid and ord(call_uuid[-1]) % 2 == 0 else CALLEE
