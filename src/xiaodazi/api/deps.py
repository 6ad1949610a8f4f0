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


def _required(label: str, find: Callable[[Services], Any]) -> Callable[[Request], Any]:
    def get(request: Request) -> Any:
        value = find(request.app.state.services)
        if value is None:
            raise ConfigError(f"{label} is not running")
        return value

    return get


def optional_service(attr: str, label: str) -> Callable[[Request], Any]:
    """A dependency returning `services.<attr>`, or a ConfigError naming `label` when it is not wired."""
    return _required(label, lambda services: getattr(services, attr, None))


def tool_service(name: str, label: str) -> Callable[[Request], Any]:
    """A dependency returning the tool helper `name` ("policy", "journal"), or a ConfigError naming `label`."""
    return _required(label, lambda services: services.tool_services.get(name))


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[Store, Depends(get_store)]
