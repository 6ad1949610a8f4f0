"""Logging: a rotating file in the data folder, stdout in serve mode, secrets masked everywhere."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler

from xiaodazi.config import Settings

# Provider keys look like these; masked even when nobody registered them as secrets.
_KEY_PATTERN = re.compile(r"\b(sk-[A-Za-z0-9_\-]{8,}|AIza[0-9A-Za-z_\-]{20,})\b")


def mask(secret: str) -> str:
    """Show a secret as `sk-…9f2c`: enough to recognise, too little to use."""
    if len(secret) <= 8:
        return "…"
    return f"{secret[:3]}…{secret[-4:]}"


class SecretFilter(logging.Filter):
    """Replaces registered secrets and key-shaped strings in every record."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        cleaned = _KEY_PATTERN.sub(lambda m: mask(m.group(0)), text)
        for secret in self.secrets:
            if secret and secret in cleaned:
                cleaned = cleaned.replace(secret, mask(secret))
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


SECRETS = SecretFilter()


def register_secret(value: str) -> None:
    """Never let `value` reach a log line."""
    if value and len(value) >= 6:
        SECRETS.secrets.add(value)


def setup_logging(settings: Settings, stdout: bool = False) -> None:
    """Configure the root logger once for this process."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.setLevel(settings.log_level.upper())
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        RotatingFileHandler(settings.log_dir / "xiaodazi.log", maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    ]
    if stdout or settings.log_stdout:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(SECRETS)
        root.addHandler(handler)
    register_secret(settings.token)
    register_secret(settings.api_key)
