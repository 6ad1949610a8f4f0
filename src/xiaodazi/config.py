"""One Settings object for the whole app, read from XIAODAZI_* environment variables."""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "xiaodazi"
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}


def default_data_dir() -> Path:
    """Per-user data folder (platformdirs), e.g. ~/.local/share/xiaodazi on Linux."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_workspace() -> Path:
    """The folder the agent works in: a `xiaodazi` folder in the user's Documents."""
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / APP_NAME


def is_loopback(host: str) -> bool:
    """True when `host` only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resource_root() -> Path:
    """Where bundled resources live: the PyInstaller bundle when frozen, else the package folder."""
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / APP_NAME if frozen else Path(__file__).resolve().parent


def python_command() -> list[str]:
    """How to start a Python interpreter for scripts: this one, or the frozen app's `python` mode."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "python"]
    return [sys.executable]


class Settings(BaseSettings):
    """Runtime configuration; created once at start and passed down, never imported as a global."""

    model_config = SettingsConfigDict(env_prefix="XIAODAZI_", extra="ignore", populate_by_name=True)

    mode: Literal["desktop", "serve"] = "serve"
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Field(default_factory=default_data_dir)
    workspace: Path = Field(default_factory=default_workspace)
    database_url: str = ""
    token: str = ""
    allowed_hosts: list[str] = Field(default_factory=list)
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("LOG_LEVEL", "XIAODAZI_LOG_LEVEL"))
    log_stdout: bool = False
    max_body_mb: int = 110
    skills_dirs: list[Path] = Field(default_factory=list)  # extra skill folders (JSON list)

    model: str = "dashscope/qwen-plus"
    api_base: str = ""
    api_key: str = ""
    fallback_model: str = ""
    secret_key: str = ""  # server mode: encrypts stored keys at rest; else a per-install secret is used
    model_timeout: float = 120.0
    stream_idle_timeout: float = 120.0
    retry_backoff: float = 1.0
    approval_timeout: float = 300.0
    mcp_stdio: bool = True  # false: never start stdio (local command) MCP servers, e.g. on a shared server
    mcp_timeout: float = 60.0  # seconds per MCP tool call unless the server's entry sets `timeout`
    max_steps: int = 12
    web_allow_private: bool = False  # let fetch_url reach this machine and private networks (SSRF guard off)
    warmup: bool = True  # import litellm in the background after start-up

    def model_post_init(self, _context: object) -> None:
        self.data_dir = self.data_dir.expanduser().resolve()
        self.workspace = self.workspace.expanduser().resolve()
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'xiaodazi.db'}"

    @property
    def ui_dist(self) -> Path:
        """The built Vue UI shipped inside the package (or the bundle)."""
        return resource_root() / "web" / "dist"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def host_guard(self) -> bool:
        """Reject foreign Host headers (DNS rebinding) when serving only this machine."""
        return self.mode == "desktop" or (is_loopback(self.host) and not self.allowed_hosts)

    def ensure_dirs(self) -> None:
        """Create the data and workspace folders (user-only permissions for data)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.data_dir, 0o700)
        self.log_dir.mkdir(exist_ok=True)
        self.workspace.mkdir(parents=True, exist_ok=True)
