"""FastAPI dependencies: the services of this app, reached through the request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from xiaodazi.services import Services
from xiaodazi.storage.repo import Store


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_store(request: Request) -> Store:
    return request.app.state.services.store


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[Store, Depends(get_store)]
