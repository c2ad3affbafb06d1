from enum import StrEnum


class BlacklistSourceType(StrEnum):
    FILE = "FILE"
    MANUAL = "MANUAL"

    def __str__(self) -> str:
        return str(self.value)
