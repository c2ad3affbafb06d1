"""Contains all the data models used in inputs/outputs"""

from .blacklist_entry import BlacklistEntry
from .blacklist_removal_result_code import BlacklistRemovalResultCode
from .blacklist_result_code import BlacklistResultCode
from .blacklist_source_type import BlacklistSourceType
from .call_record import CallRecord
from .call_status import CallStatus
from .call_type import CallType
from .common_statistics import CommonStatistics
from .customer import Customer
from .customer_input import CustomerInput
from .employee import Employee
from .journal_statistics import JournalStatistics
from .manager import Manager
from .manager_input import ManagerInput
from .manager_result_code import ManagerResultCode
from .manager_update import ManagerUpdate
from .monitoring_call import MonitoringCall
from .monitoring_call_type import MonitoringCallType
from .pending_queue import PendingQueue
from .spring_error import SpringError
from .stt_word import SttWord
from .stt_word_channel import SttWordChannel
from .token_expired_error import TokenExpiredError
from .token_expired_error_details import TokenExpiredErrorDetails
from .token_pair import TokenPair
from .token_superseded_error import TokenSupersededError
from .token_superseded_error_details import TokenSupersededErrorDetails

__all__ = (
    "BlacklistEntry",
    "BlacklistRemovalResultCode",
    "BlacklistResultCode",
    "BlacklistSourceType",
    "CallRecord",
    "CallStatus",
    "CallType",
    "CommonStatistics",
    "Customer",
    "CustomerInput",
    "Employee",
    "JournalStatistics",
    "Manager",
    "ManagerInput",
    "ManagerResultCode",
    "ManagerUpdate",
    "MonitoringCall",
    "MonitoringCallType",
    "PendingQueue",
    "SpringError",
    "SttWord",
    "SttWordChannel",
    "TokenExpiredError",
    "TokenExpiredErrorDetails",
    "TokenPair",
    "TokenSupersededError",
    "TokenSupersededErrorDetails",
)
