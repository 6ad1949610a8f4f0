"""Which model to use and with which credentials: presets + stored settings + environment."""

from __future__ import annotations

import os
import time
from typing import Any, Protocol

from xiaodazi.config import Settings
from xiaodazi.core.errors import InvalidInput, NotFound, XiaodaziError
from xiaodazi.core.model import Model, ModelError, ModelInfo
from xiaodazi.logs import mask, register_secret
from xiaodazi.providers import offline
from xiaodazi.providers.litellm_model import LitellmModel, warm_up_in_background
from xiaodazi.providers.presets import (
    BY_NAME,
    DEFAULT_CONTEXT,
    PRESETS,
    Preset,
    model_preset,
    preset_for_model,
)
from xiaodazi.providers.secrets import SecretStore

CUSTOM_PREFIX = "custom/"
NO_PROVIDER = ("No model is configured: add an API key in Settings (Qwen/DashScope is the default) or set "
               "XIAODAZI_API_BASE. / 还没有配置模型：请在设置中填写 API Key（默认通义千问/百炼）。")


class NotConfigured(XiaodaziError):
    """No provider is set up and the offline demo model is not installed."""

    code = "not_configured"
    status = 409


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: Any = None) -> Any: ...
    def set_setting(self, key: str, value: Any) -> None: ...


class ProviderManager:
    """Resolves model names to callable models; keeps keys in the secret store, never in plain files."""

    def __init__(self, settings: Settings, store: SettingsStore, secrets: SecretStore) -> None:
        self.settings = settings
        self.store = store
        self.secrets = secrets
        self.offline_runtime = offline.OfflineRuntime()
        for preset in PRESETS:
            if preset.env_key and os.environ.get(preset.env_key):
                register_secret(os.environ[preset.env_key])

    # configuration -----------------------------------------------------------------------------

    def _config(self, name: str) -> dict[str, Any]:
        return (self.store.get_setting("providers", {}) or {}).get(name, {})

    def key_for(self, preset: Preset) -> str | None:
        """The environment variable wins over the stored key."""
        if preset.env_key and os.environ.get(preset.env_key):
            return os.environ[preset.env_key]
        key = self.secrets.get(f"provider:{preset.name}")
        if key:
            register_secret(key)
        return key

    def base_for(self, preset: Preset) -> str | None:
        return self._config(preset.name).get("base_url") or preset.default_base

    def configured(self, preset: Preset) -> bool:
        if preset.custom_base:
            return bool(self._config(preset.name).get("base_url"))
        if not preset.needs_key:
            return bool(self._config(preset.name).get("enabled"))
        return bool(self.key_for(preset))

    def any_configured(self) -> bool:
        return bool(self.settings.api_base) or any(self.configured(p) for p in PRESETS)

    def describe(self, preset: Preset) -> dict[str, Any]:
        key = self.key_for(preset) if preset.needs_key or preset.custom_base else None
        config = self._config(preset.name)
        return {
            "name": preset.name, "label": preset.label, "label_zh": preset.label_zh,
            "configured": self.configured(preset), "enabled": config.get("enabled", True),
            "key": mask(key) if key else None,
            "key_source": "env" if preset.env_key and os.environ.get(preset.env_key) else ("stored" if key else None),
            "env_key": preset.env_key, "base_url": self.base_for(preset), "needs_key": preset.needs_key,
            "custom_base": preset.custom_base,
            "models": [{"id": m.id, "label": m.label, "context_window": m.context_window, "tools": m.tools,
                        "vision": m.vision, "reasoning": m.reasoning} for m in preset.models]
            + [{"id": m, "label": m} for m in config.get("models", [])],
        }

    def list(self) -> list[dict[str, Any]]:
        return [self.describe(p) for p in PRESETS]

    def update(self, name: str, key: str | None = None, base_url: str | None = None,
               enabled: bool | None = None, models: list[str] | None = None) -> dict[str, Any]:
        """Store a key (secret store), base URL, enabled flag or extra model names for a provider."""
        preset = self._preset(name)
        if key is not None:
            if key.strip():
                register_secret(key.strip())
                self.secrets.set(f"provider:{name}", key.strip())
            else:
                self.secrets.delete(f"provider:{name}")
        all_config = dict(self.store.get_setting("providers", {}) or {})
        config = dict(all_config.get(name, {}))
        if base_url is not None:
            if base_url and not base_url.startswith(("http://", "https://")):
                raise InvalidInput("the base URL must start with http:// or https://")
            config["base_url"] = base_url.rstrip("/")
        if enabled is not None:
            config["enabled"] = enabled
        if models is not None:
            config["models"] = [m for m in models if m]
        all_config[name] = config
        self.store.set_setting("providers", all_config)
        return self.describe(preset)

    def _preset(self, name: str) -> Preset:
        if name not in BY_NAME:
            raise NotFound(f"unknown provider {name}", name=name)
        return BY_NAME[name]

    # models ------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Import the model library in the background so the first turn does not wait for it."""
        warm_up_in_background()

    def default_model_name(self) -> str:
        return self.store.get_setting("default_model") or self.settings.model

    def fallback_model_name(self) -> str | None:
        return self.store.get_setting("fallback_model") or self.settings.fallback_model or None

    def uses_offline(self, name: str | None) -> bool:
        """The offline demo model answers when it is asked for, or when nothing else is configured."""
        if name == offline.NAME:
            return True
        return name is None and not self.any_configured() and not self.store.get_setting("default_model")

    def get_model(self, name: str | None = None) -> Model:
        """A model object with credentials bound; the default model when `name` is None."""
        if self.uses_offline(name):
            if not offline.available():
                raise NotConfigured(NO_PROVIDER)
            return offline.OfflineModel(self.offline_runtime, self.settings.model_timeout)
        name = name or self.default_model_name()
        timeouts = {"timeout": self.settings.model_timeout, "idle_timeout": self.settings.stream_idle_timeout}
        if self.settings.api_base and name == self.settings.model:
            litellm_name = name if "/" in name else f"openai/{name}"
            return LitellmModel(_info(name), litellm_name, self.settings.api_base, self.settings.api_key, **timeouts)
        if name.startswith(CUSTOM_PREFIX):
            preset = BY_NAME["openai_compatible"]
            return LitellmModel(_info(name), "openai/" + name[len(CUSTOM_PREFIX):], self.base_for(preset),
                                self.key_for(preset), **timeouts)
        preset = preset_for_model(name)
        if preset is None:
            return LitellmModel(_info(name), name, **timeouts)
        return LitellmModel(_info(name), name, self.base_for(preset), self.key_for(preset), **timeouts)

    async def test(self, name: str) -> dict[str, Any]:
        """A tiny real request to the provider's first model; a readable verdict either way."""
        preset = self._preset(name)
        if preset.needs_key and not self.key_for(preset):
            return {"ok": False, "message": "no API key set / 未设置 API Key", "latency_ms": None}
        models = [m.id for m in preset.models] or [CUSTOM_PREFIX + m for m in self._config(name).get("models", [])]
        if not models:
            return {"ok": False, "message": "add a model name first / 请先填写模型名称", "latency_ms": None}
        model = self.get_model(models[0])
        model.timeout, model.idle_timeout = 20.0, 20.0
        started = time.monotonic()
        try:
            await model.complete([{"role": "user", "content": "ping"}])
        except ModelError as exc:
            return {"ok": False, "message": exc.message, "kind": exc.kind, "latency_ms": None}
        return {"ok": True, "message": f"{models[0]} answered", "latency_ms": int((time.monotonic() - started) * 1000)}


def _info(name: str) -> ModelInfo:
    preset = model_preset(name)
    if preset is None:
        return ModelInfo(name=name, context_window=DEFAULT_CONTEXT)
    return ModelInfo(name=name, context_window=preset.context_window, supports_tools=preset.tools,
                     supports_vision=preset.vision, supports_reasoning=preset.reasoning)
