"""How the test double's records read in the console: a journal entry's query, token, status
and fault (GET /mock/requests), a fault rule (GET /mock/faults), an advisory's name.

Each takes the JSON the control API answers (openapi/mock-admin.yaml) and says it in Russian;
codes the console has no word for are shown as the API writes them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Final, assert_never

from mock_server.console import text

__all__ = [
    "ADVISORY_BASES",
    "ADVISORY_TITLES",
    "PRESETS",
    "FaultAction",
    "advisory_title",
    "fault_text",
    "milliseconds",
    "query_text",
    "rule_action",
    "rule_limits",
    "rule_match",
    "status_kind",
    "token_text",
]

# GET /mock/advisories codes, named as a person would say what the client did.
ADVISORY_TITLES: Final = {
    "BEARER_PREFIX": "Токен с префиксом Bearer",
    "PAGE_SIZE_ABOVE_MAX": "size больше 2000",
    "PAGE_SIZE_BELOW_ONE": "size меньше 1",
    "PAGE_NEGATIVE": "Отрицательный page",
    "WINDOW_NOT_ORDERED": "start не раньше end",
    "BLACKLIST_CONTENT_TYPE": "Номер в чёрный список не как text/plain",
    "UNKNOWN_QUERY_PARAMETER": "Неизвестный параметр запроса",
    "COMPANY_ID_NOT_THE_TOKENS": "company_id чужой компании",
    "REFRESH_WITH_ACCESS_TOKEN": "Обновление токена access-токеном",
    "MONITORING_POLLED_TOO_OFTEN": "Мониторинг чаще раза в секунду",
}
# An advisory's `basis`: how sure the decision it rests on is (the control API's AdvisoryBasis).
ADVISORY_BASES: Final = {
    "production": "так отвечает рабочий сервис (калибровка)",
    "guide": "так сказано в руководстве",
    "field-notes": "так ведёт себя сервис (полевые заметки)",
    "client-code": "так видно из кода клиентов",
    "inferred": "руководство этого не говорит: вывод мока",
}
# The presets of POST /mock/faults/presets/{name}, as the form offers them.
PRESETS: Final = {
    "outage": "Отказ: 503 на всё, N минут",
    "token-expiry": "Все токены истекают сейчас",
    "slow-recordings": "Медленные записи разговоров",
}
_TOKEN_KINDS: Final = {"access": "access-токен", "refresh": "refresh-токен"}
_EXPIRING: Final = {"access": "access-токены", "all": "access- и refresh-токены"}


def advisory_title(code: str) -> str:
    return ADVISORY_TITLES.get(code, code)


def milliseconds(value: float | None) -> str:
    """`3.21` -> "3,2 мс", `1520` -> "1,52 с"."""
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value / 1000:.2f} с".replace(".", ",")
    return f"{value:.1f} мс".replace(".", ",")


def query_text(query: dict[str, list[str]]) -> str:
    """The query as it reads: `start=2026-03-01T00:00:00+03:00&size=5`, decoded."""
    return "&".join(f"{name}={value}" for name, values in query.items() for value in values)


def status_kind(status: int | None) -> str:
    """A class for the status badge: ok, redirect, client, server, none."""
    if status is None:
        return "none"
    return {2: "ok", 3: "redirect", 4: "client", 5: "server"}.get(status // 100, "none")


def token_text(token: dict[str, Any] | None) -> str:
    """What the journal saw of the token: its claims, unverified, and the mock's verdict."""
    if token is None:
        return "без заголовка Authorization"
    bearer = " с префиксом «Bearer »" if token.get("bearerPrefix") else ""
    if not token.get("decoded"):
        return f"не читается{bearer}: {token.get('error') or 'не JWT'}"
    kind = _TOKEN_KINDS.get(str(token.get("kind")), "токен неизвестного вида")
    claims = [f"{kind}{bearer}"]
    if token.get("companyId") is not None:
        claims.append(f"компания {token['companyId']}")
    if token.get("userId") is not None:
        login = f" ({token['login']})" if token.get("login") else ""
        claims.append(f"пользователь {token['userId']}{login}")
    if token.get("expiresAt"):
        claims.append(f"истекает {text.msk(token['expiresAt'])} МСК")
    accepted = token.get("accepted")
    if accepted is True:
        claims.append("мок принял")
    elif accepted is False:
        claims.append(f"мок отклонил: {token.get('rejection') or 'без причины'}")
    else:
        claims.append("не проверялся")
    return " · ".join(claims)


class FaultAction(StrEnum):
    """A firing's `action` as the control API names it (FaultFiring in mock-admin.yaml; a test
    holds this set to the spec's), each said in its own words below."""

    STATUS = "status"
    DROP = "drop"
    TRUNCATE = "truncate"
    EXPIRE_TOKENS = "expireTokens"
    DELAY = "delay"


def _fired(fault: dict[str, Any], action: FaultAction) -> str:
    match action:
        case FaultAction.STATUS:
            what = f"ответ {fault.get('status')}"
            if fault.get("retryAfter") is not None:
                what += f" с Retry-After: {fault['retryAfter']}"
            return what
        case FaultAction.DROP:
            return "соединение разорвано без ответа"
        case FaultAction.TRUNCATE:
            return "отдана половина ответа, затем разрыв"
        case FaultAction.EXPIRE_TOKENS:
            return "ответ 403 «The token is expired»"
        case FaultAction.DELAY:
            return "только задержка"
        case _:
            assert_never(action)


def fault_text(fault: dict[str, Any]) -> str:
    """The fault injected into a request (its `fault`); an action the console has no words for
    is shown as the API writes it."""
    preset = f" (заготовка {fault['preset']})" if fault.get("preset") else ""
    action = str(fault.get("action"))
    known = action in FaultAction.__members__.values()
    what = _fired(fault, FaultAction(action)) if known else f"действие {action}"
    delay = fault.get("delayMs") or 0
    if delay and action != FaultAction.DELAY:
        what += f" после задержки {milliseconds(delay)}"
    elif delay:
        what += f" {milliseconds(delay)}"
    return f"правило №{fault.get('ruleId')}{preset}: {what}"


def rule_match(rule: dict[str, Any]) -> str:
    """Which requests a rule matches."""
    parts = [
        str(rule[name]) for name in ("method", "operationId", "path") if rule.get(name) is not None
    ]
    if rule.get("companyId") is not None:
        parts.append(f"компания {rule['companyId']}")
    return " · ".join(parts) or "все запросы"


def rule_action(rule: dict[str, Any]) -> str:
    """What a rule does."""
    actions = []
    if rule.get("status") is not None:
        retry = "" if rule.get("retryAfter") is None else f" с Retry-After: {rule['retryAfter']}"
        actions.append(f"ответить {rule['status']}{retry}")
    if rule.get("drop"):
        actions.append("разорвать соединение")
    if rule.get("truncate"):
        actions.append("оборвать ответ на середине")
    if rule.get("expireTokens"):
        expiring = _EXPIRING.get(rule["expireTokens"], rule["expireTokens"])
        actions.append(f"считать истёкшими {expiring}, выданные до сих пор")
    if rule.get("delayMs") is not None:
        jitter = f" (+ до {rule['jitterMs']} мс)" if rule.get("jitterMs") else ""
        actions = [f"задержать на {rule['delayMs']} мс{jitter}", *actions]
        return _sentence(", затем ".join(actions))
    return _sentence(", ".join(actions)) or "—"


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def rule_limits(rule: dict[str, Any]) -> str:
    """When a rule fires, and how often it did."""
    limits = [f"сработало {text.plural(int(rule.get('fired', 0)), 'раз', 'раза', 'раз')}"]
    if rule.get("remaining") is not None:
        limits.append(f"осталось {rule['remaining']}")
    else:
        limits.append("срабатывает каждый раз")
    if rule.get("probability") is not None:
        limits.append(f"с вероятностью {rule['probability']:g}".replace(".", ","))
    if rule.get("from"):
        limits.append(f"с {text.msk(rule['from'])} МСК")
    if rule.get("until"):
        limits.append(f"до {text.msk(rule['until'])} МСК")
    return "; ".join(limits)
