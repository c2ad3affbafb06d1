from enum import StrEnum


class MonitoringCallType(StrEnum):
    CONFERENCE = "CONFERENCE"
    INTERNAL = "INTERNAL"
    MULTI_CHANNEL = "MULTI_CHANNEL"
    SINGLE_CHANNEL = "SINGLE_CHANNEL"

    def __str__(self) -> str:
        return str(self.value)
