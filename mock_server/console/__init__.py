"""A web console for the mock PBX at /mock/console/, in Russian like the operator's cabinet.

Server-rendered pages (Jinja2) of what the mock's APIs answer: token pairs, calls in progress,
the journal with a player and transcript, statistics, the clock, and what clients sent. The
console is a client of the documented API and of the control API, in-process
(`client.ConsoleClient`); it holds no state of the PBX of its own.
"""

from mock_server.console.app import Console, ConsoleMount
from mock_server.console.client import CONSOLE_HEADER, CONSOLE_LOGIN, CONSOLE_USER_ID
from mock_server.console.site import CONSOLE_PREFIX

__all__ = [
    "CONSOLE_HEADER",
    "CONSOLE_LOGIN",
    "CONSOLE_PREFIX",
    "CONSOLE_USER_ID",
    "Console",
    "ConsoleMount",
]
