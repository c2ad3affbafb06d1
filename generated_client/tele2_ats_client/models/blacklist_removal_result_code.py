from enum import StrEnum


class BlacklistRemovalResultCode(StrEnum):
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)
