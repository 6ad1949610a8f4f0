"""The FastAPI application factory: no work happens at import, only in create_app and lifespan."""

from __future__ import annotations

import asyncio
import logging
import secrets
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from xiaodazi import __version__
from xiaodazi.api.routes import (
    auth,
    chat,
    conversations,
    desktop,
    files,
    mcp,
    memory,
    policy,
    providers,
    runs,
    search,
    skills,
    uploads,
    ws,
)
from xiaodazi.api.schemas import Health
from xiaodazi.api.security import GuardMiddleware
from xiaodazi.config import Settings
from xiaodazi.core.errors import XiaodaziError
from xiaodazi.services import Services, build_services

log = logging.getLogger(__name__)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        if err.get("type") == "json_invalid":
            return f"the request body is not valid JSON ({err.get('ctx', {}).get('error', 'parse error')})"
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(XiaodaziError)
    async def domain_error(_req: Request, exc: XiaodaziError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_req: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_request", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_req: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_req: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error: %s", exc)
        return _error(500, "internal", "an unexpected error occurred; details are in the log")


def _mount_ui(app: FastAPI, dist: Path) -> None:
    """Serve the built Vue app with an SPA fallback; a hint page when it is not built."""
    index = dist / "index.html"

    @app.get("/{path:path}", include_in_schema=False)
    def serve_ui(path: str):
        if path.startswith("api/") or path == "api":
            return _error(404, "not_found", f"no API route /{path}")
        if not index.exists():
            return HTMLResponse(
                "<h1>xiaodazi</h1><p>The UI is not built. Run <code>make ui</code>; "
                "the API is at <a href='/docs'>/docs</a>.</p>"
            )
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def _note_api_call(scope) -> None:
    services = getattr(scope["app"].state, "services", None)
    if services is not None:
        services.desktop.note_api_call()


def _widen_thread_pool() -> None:
    """Give blocking work (database, skill and memory look-ups) more threads than asyncio's default."""
    # The default pool has cpu+4 threads (6 on 2 cores): with many turns at once, before-turn hooks
    # queued behind database writes and hit their time limit, so skills and memory were dropped.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(32, thread_name_prefix="xiaodazi-io"))


def create_app(settings: Settings, services: Services | None = None) -> FastAPI:
    """Build the app; the services are created in the lifespan unless passed in."""
    if not settings.token:
        settings.token = secrets.token_urlsafe(32)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = services is None
        _widen_thread_pool()
        app.state.services = services or build_services(settings)
        if settings.warmup:
            # after the server is up: an import on another thread holds the GIL and slows start-up
            asyncio.get_running_loop().call_later(1.0, app.state.services.providers.warm_up)
        try:
            yield
        finally:
            if own:
                await app.state.services.aclose()

    app = FastAPI(title="xiaodazi", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    _install_error_handlers(app)

    @app.get("/health", response_model=Health, tags=["health"])
    def health() -> Health:
        """Liveness check: always open, no token needed."""
        return Health(status="ok", version=__version__)

    api = APIRouter(prefix="/api")
    routers = (auth, conversations, search, files, skills, chat, mcp, policy, runs, memory, providers, ws, uploads,
               desktop)
    for module in routers:
        api.include_router(module.router)
    app.include_router(api)
    _mount_ui(app, settings.ui_dist)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True,
            allow_methods=["*"], allow_headers=["*"],
        )
    app.add_middleware(GuardMiddleware, settings=settings, on_api_call=_note_api_call)
    return app
