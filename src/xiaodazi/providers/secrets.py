"""Secret storage for provider keys (and MCP headers): the OS keyring, else an encrypted user-only file.

Headless Linux and containers have no usable keyring; there the secrets go into
`<data dir>/secrets.enc`, encrypted (Fernet) with a key derived from `XIAODAZI_SECRET_KEY` when set
(server mode) or from a per-install secret generated into the data folder. `doctor` says which.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SERVICE = "xiaodazi"


def _write_private(path: Path, data: bytes) -> None:
    """Write a file only the user can read, atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


class EncryptedFileSecrets:
    """A JSON map of secrets encrypted at rest in one user-only file."""

    def __init__(self, data_dir: Path, master: str | None = None) -> None:
        self.path = data_dir / "secrets.enc"
        self.data_dir = data_dir
        self._master = master
        self._lock = threading.Lock()
        self._key: Any = None  # the Fernet key, derived once
        self._cache: tuple[int, dict[str, str]] | None = None

    def _fernet(self):
        from cryptography.fernet import Fernet
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        master = self._master or self._install_secret()
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"xiaodazi-secrets-v1", info=b"fernet").derive(
            master.encode()
        )
        return Fernet(base64.urlsafe_b64encode(key))

    def _install_secret(self) -> str:
        path = self.data_dir / ".install-secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            _write_private(path, secrets.token_urlsafe(48).encode())
        return path.read_text().strip()

    def _load(self) -> dict[str, str]:
        """The decrypted map, read again only when the file changed (every turn asks for keys)."""
        try:
            stamp = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        if self._cache is None or self._cache[0] != stamp:
            if self._key is None:
                self._key = self._fernet()
            self._cache = (stamp, json.loads(self._key.decrypt(self.path.read_bytes())))
        return dict(self._cache[1])

    def _save(self, data: dict[str, str]) -> None:
        if self._key is None:
            self._key = self._fernet()
        _write_private(self.path, self._key.encrypt(json.dumps(data).encode()))
        self._cache = None

    def get(self, name: str) -> str | None:
        with self._lock:
            return self._load().get(name)

    def set(self, name: str, value: str) -> None:
        with self._lock:
            data = self._load()
            data[name] = value
            self._save(data)

    def delete(self, name: str) -> None:
        with self._lock:
            data = self._load()
            if data.pop(name, None) is not None:
                self._save(data)


class KeyringSecrets:
    """The OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)."""

    def __init__(self, backend) -> None:
        self.backend = backend

    def get(self, name: str) -> str | None:
        return self.backend.get_password(SERVICE, name)

    def set(self, name: str, value: str) -> None:
        self.backend.set_password(SERVICE, name, value)

    def delete(self, name: str) -> None:
        import keyring.errors

        try:
            self.backend.delete_password(SERVICE, name)
        except keyring.errors.PasswordDeleteError:
            pass


def _usable_keyring():
    """The OS keyring backend if a real, encrypted one works here; None otherwise."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    module = type(backend).__module__
    if isinstance(backend, fail.Keyring) or module.startswith(("keyrings.alt", "keyring.backends.null")):
        return None
    if "chainer" in module and not getattr(backend, "backends", None):
        return None
    try:
        backend.get_password(SERVICE, "__probe__")
    except Exception:
        return None
    return backend


class SecretStore:
    """Chooses the keyring when one works, the encrypted file otherwise; `kind` says which."""

    def __init__(self, data_dir: Path, master: str | None = None, use_keyring: bool = True) -> None:
        self._data_dir, self._master, self._use_keyring = data_dir, master, use_keyring
        self._chosen: KeyringSecrets | EncryptedFileSecrets | None = None
        self._kind = ""
        self._lock = threading.Lock()

    def _impl(self) -> KeyringSecrets | EncryptedFileSecrets:
        """Probe the keyring on first use, not at start-up (the probe costs ~0.15 s)."""
        with self._lock:
            if self._chosen is None:
                backend = _usable_keyring() if self._use_keyring else None
                if backend is not None:
                    self._chosen, self._kind = KeyringSecrets(backend), f"OS keyring ({type(backend).__name__})"
                else:
                    self._chosen = EncryptedFileSecrets(self._data_dir, self._master)
                    self._kind = "encrypted file"
            return self._chosen

    @property
    def kind(self) -> str:
        self._impl()
        return self._kind

    def get(self, name: str) -> str | None:
        return self._impl().get(name)

    def set(self, name: str, value: str) -> None:
        self._impl().set(name, value)

    def delete(self, name: str) -> None:
        self._impl().delete(name)
