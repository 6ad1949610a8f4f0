"""Logging: a rotating file in the data folder, JSON lines on stdout in serve mode, secrets masked everywhere."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
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

    def scrub(self, text: str) -> str:
        """`text` with registered secrets and key-shaped strings masked."""
        cleaned = _KEY_PATTERN.sub(lambda m: mask(m.group(0)), text)
        for secret in self.secrets:
            if secret and secret in cleaned:
                cleaned = cleaned.replace(secret, mask(secret))
        return cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        cleaned = self.scrub(text)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


SECRETS = SecretFilter()


class JsonFormatter(logging.Formatter):
    """One JSON object per line (time in UTC, level, logger, message), for container log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            # Tracebacks can quote arguments; the filter only cleaned the message itself.
            entry["exception"] = SECRETS.scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


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
    text_format = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    log_file = RotatingFileHandler(settings.log_dir / "xiaodazi.log", maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    log_file.setFormatter(text_format)
    handlers: list[logging.Handler] = [log_file]
    if stdout or settings.log_stdout:
        console = logging.StreamHandler(sys.stdout)
        # Server mode logs structured lines for `docker compose logs` and log collectors.
        console.setFormatter(JsonFormatter() if settings.mode == "serve" else text_format)
        handlers.append(console)
    for handler in handlers:
        handler.addFilter(SECRETS)
        root.addHandler(handler)
    register_secret(settings.token)
    register_secret(settings.api_key)
