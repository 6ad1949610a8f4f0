"""One ASGI guard in front of everything: Host check, bearer token for /api, body size limit.

Written as plain ASGI (not BaseHTTPMiddleware) so streamed responses pass through untouched.
"""

from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from xiaodazi.config import LOOPBACK_NAMES, Settings

COOKIE_NAME = "xiaodazi_token"
PUBLIC_API_PATHS = {"/api/auth/login", "/api/auth/logout"}


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison; an empty expected token never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def request_token(scope) -> str | None:
    """The token a request carries: Authorization header, then cookie, then `?token=`."""
    headers = _headers(scope)
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if "cookie" in headers:
        morsel = SimpleCookie(headers["cookie"]).get(COOKIE_NAME)
        if morsel is not None:
            return morsel.value
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("token", [None])[0]


def _host_name(host_header: str) -> str:
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


class _BodyTooLarge(Exception):
    """A request body passed the size limit while it was being read."""


class GuardMiddleware:
    """Rejects foreign Host headers (desktop), unauthenticated /api calls and oversized bodies."""

    def __init__(self, app, settings: Settings, on_api_call=None) -> None:
        self.app = app
        self.settings = settings
        self.on_api_call = on_api_call  # called with the scope of every authenticated /api request
        self.allowed_hosts = LOOPBACK_NAMES | {h.lower() for h in settings.allowed_hosts}
        self.max_body = settings.max_body_mb * 1024 * 1024

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        problem = self._check(scope)
        if problem is None and scope["type"] == "http":
            await self._bounded(scope, receive, send)
        elif problem is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 4401 if problem[0] == 401 else 4403})
        else:
            await _send_error(send, *problem)

    async def _bounded(self, scope, receive, send) -> None:
        """Run the app, counting body bytes as they arrive: a chunked body has no Content-Length to check."""
        state = {"seen": 0, "over": False, "started": False}

        async def counted_receive():
            message = await receive()
            state["seen"] += len(message.get("body", b"")) if message["type"] == "http.request" else 0
            if state["seen"] > self.max_body:
                state["over"] = True
                raise _BodyTooLarge
            return message

        async def guarded_send(message) -> None:
            if state["over"]:
                return  # the app's answer to the aborted read is replaced by the 413 below
            state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _BodyTooLarge:
            pass
        if state["over"] and not state["started"]:
            await _send_error(send, 413, "too_large", f"the request body is larger than {self.settings.max_body_mb} MB")

    def _check(self, scope) -> tuple[int, str, str] | None:
        headers = _headers(scope)
        if self.settings.host_guard and _host_name(headers.get("host", "").lower()) not in self.allowed_hosts:
            return 403, "forbidden_host", "this server only answers requests addressed to this machine"
        path = scope.get("path", "")
        if (path == "/api" or path.startswith("/api/")) and path not in PUBLIC_API_PATHS:
            if not token_matches(request_token(scope), self.settings.token):
                return 401, "unauthorized", "a valid access token is required (Authorization: Bearer <token>)"
            if self.on_api_call is not None:
                self.on_api_call(scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return 413, "too_large", f"the request body is larger than {self.settings.max_body_mb} MB"
        return None


async def _send_error(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
