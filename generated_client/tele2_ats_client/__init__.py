"""A client library for accessing Tele2 Corporate PBX (Корпоративная АТС) CRM API"""

from .client import (
    DEFAULT_BASE_URL,
    LOCAL_MOCK_BASE_URL,
    AuthenticatedClient,
    Client,
    RefreshingClient,
    TokenRefreshAuth,
    TokensRefreshedCallback,
)
from .errors import TokenRefreshFailed, UnexpectedStatus
from .models.token_pair import TokenPair

__all__ = (
    "DEFAULT_BASE_URL",
    "LOCAL_MOCK_BASE_URL",
    "AuthenticatedClient",
    "Client",
    "RefreshingClient",
    "TokenPair",
    "TokenRefreshAuth",
    "TokenRefreshFailed",
    "TokensRefreshedCallback",
    "UnexpectedStatus",
)
