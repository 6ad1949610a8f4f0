"""Browser login: exchange the access token for an HttpOnly cookie (server mode)."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from fastapi import APIRouter, Request, Response

from xiaodazi.api.deps import ServicesDep
from xiaodazi.api.schemas import LoginRequest
from xiaodazi.api.security import COOKIE_NAME, token_matches
from xiaodazi.core.errors import XiaodaziError

router = APIRouter(prefix="/auth", tags=["auth"])

MAX_FAILURES = 10
WINDOW_SECONDS = 60.0


class Unauthorized(XiaodaziError):
    code = "unauthorized"
    status = 401


class TooManyAttempts(XiaodaziError):
    code = "too_many_attempts"
    status = 429


class _FailureLog:
    """Failed logins per client address within a sliding window."""

    def __init__(self) -> None:
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, client: str) -> bool:
        window = self.failures[client]
        while window and window[0] < time.monotonic() - WINDOW_SECONDS:
            window.popleft()
        return len(window) >= MAX_FAILURES

    def add(self, client: str) -> None:
        self.failures[client].append(time.monotonic())


_failures = _FailureLog()


@router.post("/login", status_code=204)
def login(services: ServicesDep, body: LoginRequest, request: Request, response: Response) -> Response:
    """Check the token and set it as an HttpOnly, SameSite=Strict cookie."""
    client = request.client.host if request.client else "?"
    if _failures.blocked(client):
        raise TooManyAttempts("too many failed logins; wait a minute and try again")
    if not token_matches(body.token, services.settings.token):
        _failures.add(client)
        raise Unauthorized("wrong access token")
    response.status_code = 204
    response.set_cookie(
        COOKIE_NAME,
        body.token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=30 * 24 * 3600,
    )
    return response


@router.post("/logout", status_code=204)
def logout(response: Response) -> Response:
    """Forget the login cookie."""
    response.status_code = 204
    response.delete_cookie(COOKIE_NAME)
    return response
