"""Contains shared errors types that can be raised from API functions"""


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class TokenRefreshFailed(Exception):
    """Raised by a RefreshingClient when PUT /authorization/refresh/token did not return a new pair.

    Typically 403 with `details` "The token is expired" (the refresh token is older than seven days)
    or "The token has already been updated" (a newer pair was issued, e.g. generated again in the
    web cabinet): a person must then generate a new pair in the web cabinet.

    Attributes:
        status_code: the HTTP status of the refresh answer.
        details: the server's `details` (or `message`) of the answer, if it had one.
        content: the raw body of the answer.
    """

    def __init__(self, *, status_code: int, details: str | None, content: bytes):
        self.status_code = status_code
        self.details = details
        self.content = content

        reason = details if details is not None else content.decode(errors="ignore")
        super().__init__(f"Refreshing the token pair failed with HTTP {status_code}: {reason}")


__all__ = ["TokenRefreshFailed", "UnexpectedStatus"]
