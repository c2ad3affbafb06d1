"""«Запросы CRM»: what clients sent (GET /mock/requests), the advisories they earned
(GET /mock/advisories) and the fault rules in force (GET /mock/faults).

The requests are the journal's newest `limit`, narrowed by the control API's own filters
(operationId, status, the token's company, an advisory code) and, as the control API matches
what was sent, by one matcher of a query parameter, a header, the body or a JSON path
(POST /mock/requests/find); each shows its method, path,
query, status, time to answer, the token's claims as the journal read them, the company, the
fault injected and its advisories, each with the guide sections it rests on linked into the
Swagger UI (`GuideIndex`). The forms remove a fault rule (DELETE /mock/faults/{id}) or all of
them (DELETE /mock/faults), add a preset or a rule that answers a status, and empty the journal
(DELETE /mock/requests). The console's own requests are not in the journal (the recorder leaves
requests with `X-Mock-Console` alone), so what it shows is what the CRM sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mock_server.console import double_text
from mock_server.console.client import (
    API_PREFIX,
    CONTROL_PREFIX,
    Answer,
    ApiError,
    ConsoleClient,
)
from mock_server.console.guide import GuideIndex
from mock_server.console.site import Page, Site, explain, field_text

__all__ = ["Filters", "routes"]

TEMPLATE = "requests.html"
LIMITS: Final = (20, 50, 100, 200)
DEFAULT_LIMIT: Final = 50
# The statuses the rule form offers (what a CRM must survive).
RULE_STATUSES: Final = (503, 500, 502, 504, 429)
# The rule form's integer fields and their labels.
RULE_FIELDS: Final = {
    "status": "Ответить статусом",
    "times": "Сколько раз",
    "companyId": "Для компании",
}
_HTTP_METHODS: Final = ("get", "put", "post", "delete", "patch")
MSG_REMOVED = "Правило сбоя №{id} удалено"
MSG_REMOVED_ALL = "Все правила сбоев удалены"
MSG_ADDED = "Добавлено правило №{id}: {match} — {action}"
MSG_CLEARED = "Журнал запросов и сводка замечаний очищены"
MSG_NUMBER = "Поле «{label}»: нужно число, а не {value!r}"
MSG_INTEGER = "Поле «{label}»: нужно целое число, а не {value!r}"
MSG_UNKNOWN_PRESET = "Нет такой заготовки: {value!r}"


# Where the «what was sent» filter looks (the control API's pattern fields), and how it
# compares (its matchers); the labels the form shows.
SENT_PLACES: Final = {
    "query": "Параметр запроса",
    "headers": "Заголовок",
    "body": "Тело",
    "jsonPath": "JSON-путь в теле",
}
SENT_KINDS: Final = {
    "equalTo": "равно",
    "contains": "содержит",
    "matches": "совпадает с шаблоном",
    "absent": "не передан",
}
MSG_SENT_NAME = "Фильтр «Что прислала CRM»: укажите имя параметра, заголовка или JSON-путь ($.name)"


@dataclass(slots=True)
class Filters:
    """The journal's filters as the form holds them (as typed: the API judges them), and one
    matcher of what was sent (`sent_*`: where, name or JSON path, how, value)."""

    operation_id: str = ""
    status: str = ""
    company_id: str = ""
    advisory: str = ""
    limit: str = str(DEFAULT_LIMIT)
    sent_in: str = ""
    sent_name: str = ""
    sent_kind: str = "equalTo"
    sent_value: str = ""

    @classmethod
    def read(cls, request: Request) -> Filters:
        query = request.query_params
        return cls(
            operation_id=query.get("operationId", "").strip(),
            status=query.get("status", "").strip(),
            company_id=query.get("companyId", "").strip(),
            advisory=query.get("advisory", "").strip(),
            limit=query.get("limit", "").strip() or str(DEFAULT_LIMIT),
            sent_in=query.get("sentIn", "").strip(),
            sent_name=query.get("sentName", "").strip(),
            sent_kind=query.get("sentKind", "").strip() or "equalTo",
            sent_value=query.get("sentValue", ""),
        )

    def api_params(self) -> dict[str, str]:
        params = {
            "operationId": self.operation_id,
            "status": self.status,
            "companyId": self.company_id,
            "advisory": self.advisory,
            "limit": self.limit,
        }
        return {name: value for name, value in params.items() if value}

    def sent_matcher(self) -> dict[str, Any] | None:
        """The pattern's field for what was sent (`{"query": {name: matcher}}`, ...), None when
        the form names no place; ValueError when it names a place but no name it needs."""
        if self.sent_in not in SENT_PLACES:
            return None
        kind = self.sent_kind if self.sent_kind in SENT_KINDS else "equalTo"
        matcher: dict[str, Any] = {kind: True if kind == "absent" else self.sent_value}
        if self.sent_in == "body":
            return {"body": matcher}
        if not self.sent_name:
            raise ValueError(MSG_SENT_NAME)
        return {self.sent_in: {self.sent_name: matcher}}

    def api_body(self) -> dict[str, Any]:
        """The whole pattern, for POST /mock/requests/find."""
        body: dict[str, Any] = {}
        for name, value in self.api_params().items():
            body[name] = value if name in ("operationId", "advisory") else _integer(value)
        return {**body, **(self.sent_matcher() or {})}

    def query(self, **changes: Any) -> dict[str, Any]:
        """The console's query string for these filters, with `changes`."""
        shown = {k: v or None for k, v in self.api_params().items()}
        if self.sent_in:
            shown |= {
                "sentIn": self.sent_in,
                "sentName": self.sent_name or None,
                "sentKind": self.sent_kind,
                "sentValue": self.sent_value or None,
            }
        return {**shown, **changes}


def _integer(value: str) -> Any:
    """A filter typed as an integer, else as typed (the API says what is wrong with it)."""
    try:
        return int(value)
    except ValueError:
        return value


async def _operations(client: ConsoleClient) -> list[tuple[str, str]]:
    """The documented API's operations, as its spec lists them: (operationId, "GET /path")."""
    spec = await client.spec(API_PREFIX)
    return [
        (operation["operationId"], f"{method.upper()} {path}")
        for path, item in spec.get("paths", {}).items()
        for method in _HTTP_METHODS
        if isinstance(operation := item.get(method), dict) and "operationId" in operation
    ]


async def _advisory_codes(client: ConsoleClient) -> list[str]:
    """The advisory codes the control API's spec names (its `AdvisoryCode`)."""
    spec = await client.spec(CONTROL_PREFIX)
    schema = spec.get("components", {}).get("schemas", {}).get("AdvisoryCode", {})
    return [str(code) for code in schema.get("enum", ())]


def routes(site: Site) -> list[BaseRoute]:
    client = site.client

    async def render(page: Page, status: int = 200, form: dict[str, str] | None = None) -> Response:
        filters = Filters.read(page.request)
        journal: dict[str, Any] | None = None
        try:
            if filters.sent_matcher() is None:
                params = filters.api_params()
                journal = (await client.control("GET", "/requests", params=params)).json()
            else:
                body = filters.api_body()
                journal = (await client.control("POST", "/requests/find", body)).json()
        except ApiError as error:
            if error.status == 503:
                raise  # a reset: the whole page says so
            page.error(explain(error))
            status = max(status, error.status)
        except ValueError as error:
            page.error(str(error))
            status = max(status, 400)
        advisories = (await client.control("GET", "/advisories")).json()["advisories"]
        faults = (await client.control("GET", "/faults")).json()["faults"]
        return site.render(
            page,
            TEMPLATE,
            status=status,
            filters=filters,
            journal=journal,
            advisories=advisories,
            faults=faults,
            guide=GuideIndex.from_spec(await client.spec(API_PREFIX)),
            operations=await _operations(client),
            advisory_codes=await _advisory_codes(client),
            limits=LIMITS,
            sent_places=SENT_PLACES,
            sent_kinds=SENT_KINDS,
            rule_statuses=RULE_STATUSES,
            presets=double_text.PRESETS,
            form=form or {},
            say=double_text,
        )

    async def show(request: Request) -> Response:
        return await render(await site.page(request, needs_company=False))

    async def change(
        request: Request, method: str, path: str, body: Any, done: Callable[[Answer], str]
    ) -> Response:
        """Send one change to the control API; back to the page with `done(answer)` said, or
        the page again with the API's refusal."""
        form = await request.form()
        page = await site.page(request, form, needs_company=False)
        try:
            answer = await client.control(method, path, body)
        except ApiError as error:
            page.error(explain(error))
            return await render(page, error.status, {k: field_text(form, k) for k in form})
        return site.done(page, "/requests", done(answer))

    async def refuse(request: Request, message: str) -> Response:
        form = await request.form()
        page = await site.page(request, form, needs_company=False)
        page.error(message)
        return await render(page, 400, {k: field_text(form, k) for k in form})

    async def remove(request: Request) -> Response:
        rule = request.path_params["rule"]
        return await change(
            request, "DELETE", f"/faults/{rule}", None, lambda _: MSG_REMOVED.format(id=rule)
        )

    async def remove_all(request: Request) -> Response:
        return await change(request, "DELETE", "/faults", None, lambda _: MSG_REMOVED_ALL)

    async def clear(request: Request) -> Response:
        return await change(request, "DELETE", "/requests", None, lambda _: MSG_CLEARED)

    async def add_preset(request: Request) -> Response:
        form = await request.form()
        preset = field_text(form, "preset")
        if preset not in double_text.PRESETS:
            return await refuse(request, MSG_UNKNOWN_PRESET.format(value=preset))
        try:
            body = _numbers(form, {"companyId": "Для компании"})
            if preset == "outage":
                body["minutes"] = _number(field_text(form, "minutes"), "Минут отказа")
            elif preset == "slow-recordings":
                body |= _numbers(form, {"delayMs": "Задержка записей, мс"})
        except ValueError as error:
            return await refuse(request, str(error))
        return await change(request, "POST", f"/faults/presets/{preset}", body, _added)

    async def add_rule(request: Request) -> Response:
        form = await request.form()
        try:
            body = _numbers(form, RULE_FIELDS)
        except ValueError as error:
            return await refuse(request, str(error))
        operation = field_text(form, "operationId")
        if operation:
            body["operationId"] = operation
        return await change(request, "POST", "/faults", body, _added)

    return [
        Route("/requests", show, methods=["GET"], name="requests"),
        Route("/requests/clear", clear, methods=["POST"]),
        Route("/requests/faults/{rule:int}/remove", remove, methods=["POST"]),
        Route("/requests/faults/remove", remove_all, methods=["POST"]),
        Route("/requests/faults/preset", add_preset, methods=["POST"]),
        Route("/requests/faults/add", add_rule, methods=["POST"]),
    ]


def _added(answer: Answer) -> str:
    rule = answer.json()
    return MSG_ADDED.format(
        id=rule["id"], match=double_text.rule_match(rule), action=double_text.rule_action(rule)
    )


def _number(value: str, label: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ValueError(MSG_NUMBER.format(label=label, value=value)) from None


def _numbers(form: FormData, labels: dict[str, str]) -> dict[str, Any]:
    """The form's integer fields named in `labels` that are filled in; ValueError naming the
    field's label for one that is not an integer."""
    numbers: dict[str, Any] = {}
    for name, label in labels.items():
        value = field_text(form, name)
        if value:
            try:
                numbers[name] = int(value)
            except ValueError:
                raise ValueError(MSG_INTEGER.format(label=label, value=value)) from None
    return numbers
