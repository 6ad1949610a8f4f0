"""Model providers (keys masked, never returned) and app settings."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from xiaodazi.api.deps import ServicesDep
from xiaodazi.core.errors import InvalidInput
from xiaodazi.core.hotkeys import DEFAULTS as HOTKEY_DEFAULTS
from xiaodazi.core.hotkeys import parse_hotkey
from xiaodazi.providers.offline import available as offline_available

router = APIRouter(tags=["providers"])

# Settings the UI may read and change; anything else is refused so typos do not pass silently.
SETTING_KEYS = {
    "default_model": (str, type(None)), "fallback_model": (str, type(None)), "light_model": (str, type(None)),
    "language": (str,), "theme": (str,), "granted_folders": (list,), "memory_auto": (bool,),
    "memory_approval": (bool,), "close_to_tray": (bool,), "quick_ask_hotkey": (str, type(None)),
    "stop_hotkey": (str, type(None)),
}
HOTKEY_SETTINGS = {"quick_ask_hotkey": "quick_ask", "stop_hotkey": "stop"}


class ProviderUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str | None = Field(default=None, max_length=500, description="API key; empty string removes it")
    base_url: str | None = Field(default=None, max_length=500)
    enabled: bool | None = None
    models: list[str] | None = Field(default=None, max_length=50)


class ProvidersPublic(BaseModel):
    items: list[dict[str, Any]]
    default_model: str
    fallback_model: str | None
    any_configured: bool
    key_storage: str
    offline_available: bool = Field(description="the offline demo model (SmolLM2) is installed")


class ProviderTest(BaseModel):
    ok: bool
    message: str
    latency_ms: int | None = None
    kind: str | None = None


@router.get("/providers", response_model=ProvidersPublic)
def list_providers(services: ServicesDep) -> ProvidersPublic:
    """Every preset, whether it is configured, its masked key and its models."""
    p = services.providers
    return ProvidersPublic(items=p.list(), default_model=p.default_model_name(),
                           fallback_model=p.fallback_model_name(), any_configured=p.any_configured(),
                           key_storage=services.secrets.kind, offline_available=offline_available())


@router.put("/providers/{name}")
def update_provider(services: ServicesDep, name: str, body: ProviderUpdate) -> dict[str, Any]:
    """Store a key (in the OS keyring or the encrypted file), a base URL, or enable/disable."""
    return services.providers.update(name, **body.model_dump(exclude_unset=True))


@router.post("/providers/{name}/test", response_model=ProviderTest)
async def test_provider(services: ServicesDep, name: str) -> ProviderTest:
    """Send a tiny real request and report the result in plain words."""
    return ProviderTest(**await services.providers.test(name))


@router.get("/settings")
def read_settings(services: ServicesDep) -> dict[str, Any]:
    """The user's settings, with defaults filled in."""
    stored = services.store.all_settings()
    out = {key: stored.get(key) for key in SETTING_KEYS}
    for key, name in HOTKEY_SETTINGS.items():  # "" means the user turned it off; None means the default
        out[key] = HOTKEY_DEFAULTS[name] if out[key] is None else out[key]
    out["default_model"] = services.providers.default_model_name()
    out["fallback_model"] = services.providers.fallback_model_name()
    out["mode"] = services.settings.mode
    out["data_dir"] = str(services.settings.data_dir)
    out["workspace"] = str(services.settings.workspace)
    return out


@router.put("/settings")
def update_settings(services: ServicesDep, body: dict[str, Any]) -> dict[str, Any]:
    """Change some settings; unknown keys or wrong types are a 422 with the key named."""
    for key, value in body.items():
        if key not in SETTING_KEYS:
            raise InvalidInput(f"unknown setting {key!r}; known: {', '.join(sorted(SETTING_KEYS))}")
        if not isinstance(value, SETTING_KEYS[key]):
            raise InvalidInput(f"setting {key!r} has the wrong type")
        if key in HOTKEY_SETTINGS and value and value.strip():
            body[key] = str(parse_hotkey(value))  # 422 with the reason; stored in the canonical spelling
    for key, value in body.items():
        services.store.set_setting(key, value)
    out = read_settings(services)
    apply_hotkeys = services.desktop.commands.get("hotkeys")
    if apply_hotkeys is not None and HOTKEY_SETTINGS.keys() & body.keys():
        out["hotkeys"] = apply_hotkeys(out)  # registered now, so a conflict shows up next to the field
    return out
