from enum import StrEnum


class TokenSupersededErrorDetails(StrEnum):
    THE_TOKEN_HAS_ALREADY_BEEN_UPDATED = "The token has already been updated"

    def __str__(self) -> str:
        return str(self.value)
