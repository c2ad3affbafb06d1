from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Employee")


@_attrs_define
class Employee:
    """An employee («Сотрудник», guide 5.10.3). Every field but `employeeId` may be absent.

    Attributes:
        employee_id (int): The id of the number registered in the PBX.
        name (str | Unset): First name («имя»).
        surname (str | Unset): Surname («фамилия»).
        full_number (str | Unset): Federal number («федеральный номер»), `7XXXXXXXXXX`.
        short_number (str | Unset): Short (extension) number («короткий номер»).
        group_name (str | Unset): Department («отдел»).
        email (str | Unset): E-mail address.
    """

    employee_id: int
    name: str | Unset = UNSET
    surname: str | Unset = UNSET
    full_number: str | Unset = UNSET
    short_number: str | Unset = UNSET
    group_name: str | Unset = UNSET
    email: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        employee_id = self.employee_id

        name = self.name

        surname = self.surname

        full_number = self.full_number

        short_number = self.short_number

        group_name = self.group_name

        email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "employeeId": employee_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if surname is not UNSET:
            field_dict["surname"] = surname
        if full_number is not UNSET:
            field_dict["fullNumber"] = full_number
        if short_number is not UNSET:
            field_dict["shortNumber"] = short_number
        if group_name is not UNSET:
            field_dict["groupName"] = group_name
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        employee_id = d.pop("employeeId")

        name = d.pop("name", UNSET)

        surname = d.pop("surname", UNSET)

        full_number = d.pop("fullNumber", UNSET)

        short_number = d.pop("shortNumber", UNSET)

        group_name = d.pop("groupName", UNSET)

        email = d.pop("email", UNSET)

        employee = cls(
            employee_id=employee_id,
            name=name,
            surname=surname,
            full_number=full_number,
            short_number=short_number,
            group_name=group_name,
            email=email,
        )

        employee.additional_properties = d
        return employee

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
