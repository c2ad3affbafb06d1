from enum import StrEnum


class BlacklistResultCode(StrEnum):
    DUPLICATE_BLACK_LIST_NUMBER = "DUPLICATE_BLACK_LIST_NUMBER"
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)
