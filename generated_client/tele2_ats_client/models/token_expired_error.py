from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.token_expired_error_details import TokenExpiredErrorDetails
from ..types import UNSET, Unset

T = TypeVar("T", bound="TokenExpiredError")


@_attrs_define
class TokenExpiredError:
    """403 body for a token whose lifetime is over.

    Attributes:
        details (TokenExpiredErrorDetails):
        code (int | Unset): Seen by one client beside `details` (`403`); not always present.
    """

    details: TokenExpiredErrorDetails
    code: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        details = self.details.value

        code = self.code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "details": details,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        details = TokenExpiredErrorDetails(d.pop("details"))

        code = d.pop("code", UNSET)

        token_expired_error = cls(
            details=details,
            code=code,
        )

        token_expired_error.additional_properties = d
        return token_expired_error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
