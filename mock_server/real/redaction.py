"""Secrets out of what a real run writes down: tokens, and (for the calibration report) numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = ["redact", "redact_numbers"]

_JWT: Final = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_AUTH_HEADER: Final = re.compile(r"(Authorization:\s*)([^'\"\n]+)", re.IGNORECASE)
_TOKEN_FIELD: Final = re.compile(r'("(?:accessToken|refreshToken)"\s*:\s*)"[^"]*"')
# A phone number in any of the forms of D22 (7XXXXXXXXXX, 8XXXXXXXXXX, +7XXXXXXXXXX), and any
# other run of 5 to 15 digits that is not part of a longer word: extensions, short numbers.
_NUMBER: Final = re.compile(r"(?<![\w.:-])\+?\d{5,15}(?![\w.:-])")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` without tokens: JWTs, Authorization values, token fields and any `secrets`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    text = _JWT.sub("[REDACTED JWT]", text)
    text = _TOKEN_FIELD.sub(r'\1"[REDACTED]"', text)
    return _AUTH_HEADER.sub(r"\1[REDACTED]", text)


def redact_numbers(text: str) -> str:
    """`text` with every phone-number-like run of digits replaced by as many `X`."""
    return _NUMBER.sub(lambda m: "X" * len(m.group()), text)
