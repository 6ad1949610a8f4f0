"""Where secret header and env values of MCP servers live: never in mcp.json itself.

mcp.json refers to a secret as `${secret:NAME}`; the composition root passes a store that keeps
the value in the OS keyring or an encrypted user-only file (the provider key store).
"""

from __future__ import annotations

import re
from typing import Protocol

from xiaodazi.core.errors import ConfigError

SECRET_REF = re.compile(r"\$\{secret:([A-Za-z0-9_.\-]+)\}")
# Env names that usually carry credentials; header values are always treated as secrets.
_SECRET_ENV = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS$|AUTH|CREDENTIAL|COOKIE|PAT$", re.IGNORECASE)


class SecretStore(Protocol):
    """A tiny named-secret store: the provider key store fits this shape."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


class MemorySecretStore:
    """Secrets kept in this process only (tests, and until a persistent store is wired)."""

    persistent = False

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self._values = dict(values or {})

    def get(self, name: str) -> str | None:
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        self._values[name] = value

    def delete(self, name: str) -> None:
        self._values.pop(name, None)


class MissingSecret(ConfigError):
    """mcp.json refers to a secret that the store does not hold."""

    code = "mcp_secret_missing"
    status = 422


def is_secret_env(name: str) -> bool:
    """True when an env variable name looks like it carries a credential."""
    return bool(_SECRET_ENV.search(name))


def is_ref(value: str) -> bool:
    """True when the whole value is a `${secret:NAME}` reference."""
    return SECRET_REF.fullmatch(value) is not None


def resolve(value: str, store: SecretStore) -> str:
    """Replace every `${secret:NAME}` in value with the stored secret."""

    def sub(match: re.Match[str]) -> str:
        secret = store.get(match.group(1))
        if secret is None:
            raise MissingSecret(
                f"密钥 {match.group(1)} 未设置 / the secret {match.group(1)} is not set: "
                "enter the value again in the MCP settings",
                secret=match.group(1),
            )
        return secret

    return SECRET_REF.sub(sub, value)


def referenced(values: dict[str, str]) -> set[str]:
    """Names of the secrets referenced by these values."""
    return {m.group(1) for v in values.values() for m in SECRET_REF.finditer(v)}
