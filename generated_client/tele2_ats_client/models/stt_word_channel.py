from enum import StrEnum


class SttWordChannel(StrEnum):
    A = "A"
    B = "B"

    def __str__(self) -> str:
        return str(self.value)
