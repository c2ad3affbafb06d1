from enum import StrEnum


class ManagerResultCode(StrEnum):
    CUSTOMER_ALREADY_ASSIGNED = "CUSTOMER_ALREADY_ASSIGNED"
    MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS = "MANAGER_HANDLING_ALL_CUSTOMERS_ALREADY_EXISTS"
    SUCCESS = "SUCCESS"

    def __str__(self) -> str:
        return str(self.value)
