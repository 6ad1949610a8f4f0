"""FastAPI dependencies: the services of this app, reached through the request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from xiaodazi.core.errors import ConfigError
from xiaodazi.services import Services
from xiaodazi.storage.repo import Store


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_store(request: Request) -> Store:
    return request.app.state.services.store


def optional_service(attr: str, label: str) -> Callable[[Request], Any]:
    """A dependency returning `services.<attr>`, or a ConfigError naming `label` when it is not wired."""

    def get(request: Request) -> Any:
        value = getattr(request.app.state.services, attr, None)
        if value is None:
            raise ConfigError(f"{label} is not running")
        return value

    return get


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[Store, Depends(get_store)]
