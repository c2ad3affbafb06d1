"""A client library for accessing Tele2 Corporate PBX (Корпоративная АТС) CRM API"""

from . import errors
from .client import (
    DEFAULT_BASE_URL,
    LOCAL_MOCK_BASE_URL,
    AuthenticatedClient,
    Client,
    RefreshingClient,
    TokenRefreshAuth,
    TokensRefreshedCallback,
)
from .errors import ApiError, TokenRefreshFailed, UnexpectedStatus
from .facade import PAGE_SIZE_MAX, AsyncTele2Ats, Tele2Ats
from .models.token_pair import TokenPair
from .retry import RetryPolicy
from .types import OK, UNSET, Ok, Unset

__version__ = "1.0.0"
"""The spec's `info.version`: a mock (tele2-ats-mock) of the same version serves the same spec."""

__all__ = (
    "DEFAULT_BASE_URL",
    "LOCAL_MOCK_BASE_URL",
    "OK",
    "PAGE_SIZE_MAX",
    "UNSET",
    "ApiError",
    "AsyncTele2Ats",
    "AuthenticatedClient",
    "Client",
    "Ok",
    "RefreshingClient",
    "RetryPolicy",
    "Tele2Ats",
    "TokenPair",
    "TokenRefreshAuth",
    "TokenRefreshFailed",
    "TokensRefreshedCallback",
    "UnexpectedStatus",
    "Unset",
    "errors",
)
