from enum import StrEnum


class TokenExpiredErrorDetails(StrEnum):
    THE_TOKEN_IS_EXPIRED = "The token is expired"

    def __str__(self) -> str:
        return str(self.value)
