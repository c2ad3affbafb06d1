"""`tele2-ats-mock --faults FILE`: fault rules in force from the start, from YAML (or JSON).

The file holds a list of rules, each a flat mapping as `POST /mock/faults` takes it, or a
preset as `{preset: NAME, ...its fields}`:

    - {operationId: getEmployees, status: 503, times: 2}
    - {operationId: getCallRecordFile, delayMs: 800}
    - {preset: outage, minutes: 5}
    - {preset: token-expiry, companyId: 391}
    - {preset: slow-recordings, delayMs: 5000}

(a mapping with the list under `faults:` is read too). The rules are checked as the control
API checks them when the PBX starts (every field, each error naming its rule); here, before
that, the file is read and every `operationId` is checked against the spec, which the domain
does not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from mock_server.domain.errors import InvalidInput
from mock_server.domain.fields import MAX_INTEGER_DIGITS
from mock_server.spec_index import SpecIndex

__all__ = ["load_fault_file"]

MSG_UNREADABLE = "--faults {path}: {reason}"
MSG_LONG_NUMBER = (
    "--faults {path}: a number of more than {limit} digits, beyond every field of a fault rule"
)
MSG_SHAPE = "--faults {path}: expected a list of fault rules (mappings), got {what}"
MSG_OPERATION = (
    "--faults {path}: fault rule {index}: Field 'operationId': {value!r} is not an operation "
    "of the API; operations: {operations}"
)


def load_fault_file(path: Path, api: SpecIndex) -> tuple[Mapping[str, Any], ...]:
    """The rules of the file at `path`; InvalidInput (naming the file) if it cannot be used.
    Every `operationId` must be one of `api`'s."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(MSG_UNREADABLE.format(path=path, reason=exc.strerror)) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = str(exc).replace("\n", " ")
        raise InvalidInput(MSG_UNREADABLE.format(path=path, reason=reason)) from exc
    except ValueError as exc:  # an integer of more digits than Python converts
        raise InvalidInput(MSG_LONG_NUMBER.format(path=path, limit=MAX_INTEGER_DIGITS)) from exc
    if isinstance(data, Mapping) and set(data) == {"faults"}:
        data = data["faults"]
    if data is None:
        return ()
    if not isinstance(data, list) or not all(isinstance(rule, Mapping) for rule in data):
        raise InvalidInput(MSG_SHAPE.format(path=path, what=type(data).__name__))
    operations = api.operation_ids
    rules = []
    for index, rule in enumerate(data, 1):
        operation = rule.get("operationId")
        if operation is not None and operation not in operations:
            raise InvalidInput(
                MSG_OPERATION.format(
                    path=path, index=index, value=operation, operations=", ".join(operations)
                )
            )
        # YAML reads an unquoted instant as a date(time); the rule takes ISO 8601 text.
        rules.append({k: v.isoformat() if isinstance(v, date) else v for k, v in rule.items()})
    return tuple(rules)
