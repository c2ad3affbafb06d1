"""Tenant files for tests: the guide's company loaded into a bare store, documents from text."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from mock_server.domain.pbx import DEFAULT_COMPANY_ID, GUIDE_TENANT
from mock_server.domain.rules.calls import LiveCalls
from mock_server.domain.rules.tenant_reader import JsonTenantDocument
from mock_server.domain.rules.tenants import LoadedTenant, TenantLoader
from mock_server.domain.storage.store import Store

__all__ = ["document", "load_guide"]

PINNED = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def load_guide(
    store: Store, seed: int = 1, now: datetime = PINNED, history: tuple[int, int] = (0, 0)
) -> LoadedTenant:
    """The guide's company (391) as the mock loads it, into `store` (no history by default)."""
    loader = TenantLoader(LiveCalls(store, seed=seed), seed=lambda: seed)
    with GUIDE_TENANT.open() as guide, store.transaction() as conn:
        return loader.load(
            conn, guide, choose_id=lambda _: DEFAULT_COMPANY_ID, now=now, history=history
        )


def document(value: Any, name: str = "tenant.json") -> JsonTenantDocument:
    """A JSON tenant document of `value` (a dict, or text)."""
    text = value if isinstance(value, str | bytes) else json.dumps(value, ensure_ascii=False)
    return JsonTenantDocument(text.encode() if isinstance(text, str) else text, name)
