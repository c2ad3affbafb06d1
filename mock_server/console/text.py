"""The console's words: Russian labels of the API's codes, and how numbers and instants read.

The labels of the statistics are the guide's own («Параметры ответа», 5.6.1); the call types
and statuses are the API's enums, named as a person in the cabinet would say them.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

__all__ = [
    "CALL_STATUSES",
    "CALL_TYPES",
    "COMMON_STATISTICS",
    "MONITORING_TYPES",
    "MSK",
    "OUTCOMES",
    "SORT_FIELDS",
    "call_status",
    "call_type",
    "duration",
    "from_local_input",
    "jwt_expiry",
    "msk",
    "msk_input",
    "parse_api_instant",
    "plural",
    "relative",
    "span",
]

# Moscow has kept UTC+3 all year since 2014; the cabinet shows Moscow time.
MSK: Final = timezone(timedelta(hours=3), "МСК")

CALL_TYPES: Final = {
    "SINGLE_CHANNEL": "На номер сотрудника",
    "MULTI_CHANNEL": "На многоканальный номер",
    "UNKNOWN_CALL": "Неизвестный",
    "INTERNAL": "Внутренний",
    "HIMSELF": "Самому себе",
    "INTERNAL_QUEUE": "Через очередь КЦ",
    "CRM_OUTGOING": "Исходящий из CRM",
    "VOICEMAIL": "Голосовая почта",
    "CONFERENCE": "Конференция",
    "CALLBACK": "Обратный звонок",
    "PICKUP_CALL": "Перехват",
    "FAX": "Факс",
    "OUTGOING": "Исходящий",
    "CRM_CALLBACK": "Обратный звонок из CRM",
}
# GET /monitoring/calls (guide 5.2): the four types of a call in progress.
MONITORING_TYPES: Final = {
    "MULTI_CHANNEL": "Вызов на многоканальный номер",
    "INTERNAL": "Вызов между номерами АТС",
    "SINGLE_CHANNEL": "Вызов на номер абонента",
    "CONFERENCE": "Конференция",
}
CALL_STATUSES: Final = {
    "ANSWERED_COMMON": "Отвечен",
    "ANSWERED_BY_ORIGINAL_CLIENT": "Отвечен вызываемым",
    "ANSWERED_BY_BUSY_FORWARD_CLIENT": "Отвечен после переадресации (занято)",
    "ANSWERED_BY_NO_ANSWER_FORWARD_CLIENT": "Отвечен после переадресации (нет ответа)",
    "NOT_ANSWERED_COMMON": "Не отвечен",
    "CANCELLED_BY_CALLER": "Сброшен звонившим",
    "DENIED_DUE_TO_MAX_SESSION": "Отклонён: превышено число сессий",
    "DENIED_DUE_TO_INCOMING_CALLS_BLOCKED": "Отклонён: входящие запрещены",
    "DENIED_DUE_TO_OUTGOING_CALLS_BLOCKED": "Отклонён: исходящие запрещены",
    "DENIED_DUE_TO_ONLY_INTERNAL_CALLS_ENABLED": "Отклонён: разрешены только внутренние",
    "DENIED_DUE_TO_BLACK_LISTED": "Отклонён: номер в чёрном списке",
    "DENIED_NOT_IN_WHITE_LIST": "Отклонён: номера нет в белом списке",
    "DENIED_DUE_TO_NOT_WORK_TIME": "Отклонён: нерабочее время",
    "DENIED_DUE_TO_UNKNOWN_NUMBER": "Отклонён: неизвестный номер",
    "DESTINATION_BUSY": "Занято",
    "CANCELLED_BY_PICKUP": "Перехвачен",
}
# POST /mock/calls/incoming `outcome`.
OUTCOMES: Final = {"answered": "Ответили", "not_answered": "Не ответили", "busy": "Занято"}
# The fields GET /call-records/info sorts by, as the journal's table names them.
SORT_FIELDS: Final = {
    "date": "Дата",
    "callType": "Тип",
    "callStatus": "Статус",
    "callerNumber": "Кто звонил",
    "calleeNumber": "Кто ответил",
    "callDuration": "Длительность",
    "conversationDuration": "Разговор",
}
# GET /statistics/common, in the guide's words (5.6.1), in the order a person reads them.
COMMON_STATISTICS: Final = {
    "allCallCount": "Общее количество вызовов",
    "successCallCount": "Отвеченных вызовов",
    "lostCallCount": "Неотвеченных вызовов",
    "outgoingCallCount": "Исходящих вызовов",
    "internalCallCount": "Вызовов внутри компании",
    "uniqueCallCount": "Уникальных вызовов",
    "redialCount": "Повторных вызовов",
    "callCountPerDay": "Вызовов в день",
    "callCountPerHour": "Вызовов в час",
    "averageCallCountPerHour": "Среднее число вызовов в час",
    "commonCallDuration": "Общая длительность вызовов, с",
    "averageCallDuration": "Средняя продолжительность вызова, с",
    "maxCallDuration": "Максимальная длительность вызова, с",
    "mnAvgCallDuration": "Средняя длительность разговора, с",
    "mnMaxCallDuration": "Максимальная длительность разговора, с",
    "transferCallCount": "Трансферов",
    "transferCallDuration": "Общая длительность трансферных вызовов, с",
    "averageTransferCallDuration": "Средняя длительность трансферных вызовов, с",
    "hangupACallCount": "Отбоев со стороны инициатора вызова",
    "hangupBCallCount": "Отбоев со стороны сотрудника",
    "internalCallDuration": "Общая длительность вызовов внутри компании, с",
    "averageInternalCallDuration": "Средняя длительность вызовов внутри компании, с",
}


def call_type(code: str | None) -> str:
    return CALL_TYPES.get(code or "", code or "—")


def call_status(code: str | None) -> str:
    return CALL_STATUSES.get(code or "", code or "—")


def plural(count: int, one: str, few: str, many: str) -> str:
    """`plural(3, "звонок", "звонка", "звонков")` -> "3 звонка"."""
    tail = abs(count) % 100
    if 11 <= tail <= 14:
        word = many
    elif tail % 10 == 1:
        word = one
    elif 2 <= tail % 10 <= 4:
        word = few
    else:
        word = many
    return f"{count} {word}"


def duration(seconds: float | None) -> str:
    """`207` -> "3 мин 27 с"; `None` -> "—"."""
    if seconds is None:
        return "—"
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} ч {minutes:02d} мин"
    if minutes:
        return f"{minutes} мин {secs:02d} с"
    return f"{secs} с"


def span(seconds: float) -> str:
    """A length of time in its two largest units: "271 сут. 10 ч", "5 мин", "0 с"."""
    total = int(abs(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value} {unit}"
        for value, unit in ((days, "сут."), (hours, "ч"), (minutes, "мин"), (secs, "с"))
        if value
    ][:2]
    return " ".join(parts) or "0 с"


def relative(seconds: float) -> str:
    """How far off an instant is: "через 1 сут. 2 ч", "5 мин назад", "сейчас"."""
    if int(abs(seconds)) == 0:
        return "сейчас"
    return f"через {span(seconds)}" if seconds >= 0 else f"{span(seconds)} назад"


def parse_api_instant(value: str) -> datetime:
    """An instant as the API writes it (`2022-07-15T07:27:06.348Z`, or with an offset)."""
    instant = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def msk(value: str | datetime | None, seconds: bool = True) -> str:
    """An instant in Moscow time as the cabinet shows it: `04.03.2026 15:00:05`."""
    if value is None or value == "":
        return "—"
    instant = parse_api_instant(value) if isinstance(value, str) else value
    return instant.astimezone(MSK).strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")


def msk_input(value: str | datetime) -> str:
    """The value of an `<input type="datetime-local">` showing an instant in Moscow time."""
    instant = parse_api_instant(value) if isinstance(value, str) else value
    return instant.astimezone(MSK).strftime("%Y-%m-%dT%H:%M:%S")


def from_local_input(value: str) -> datetime:
    """What a person typed into a datetime-local field, read as Moscow time; ValueError if it
    is not a date and time."""
    instant = datetime.fromisoformat(value.strip())
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=MSK)
    return instant


def jwt_expiry(token: str) -> datetime | None:
    """The `exp` claim of a JWT, read without checking the signature (as any client can);
    None if the token is not a JWT with an `exp`."""
    try:
        payload = token.split(".")[1]
        claims: Any = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (IndexError, ValueError, KeyError, TypeError, OverflowError, OSError):
        return None
