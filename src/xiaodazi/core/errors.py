"""Domain errors: every error xiaodazi raises on purpose subclasses XiaodaziError."""

from __future__ import annotations


class XiaodaziError(Exception):
    """Base of all domain errors; `code` is stable and machine-readable."""

    code = "error"
    status = 400

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields


class NotFound(XiaodaziError):
    """The thing asked for does not exist."""

    code = "not_found"
    status = 404


class InvalidInput(XiaodaziError):
    """The request is well-formed but its values are not acceptable."""

    code = "invalid_input"
    status = 422


class Conflict(XiaodaziError):
    """The request clashes with the current state (e.g. a run already going)."""

    code = "conflict"
    status = 409


class StorageError(XiaodaziError):
    """The database or the data folder failed (disk full, read-only, corrupt)."""

    code = "storage_error"
    status = 503


class ConfigError(XiaodaziError):
    """The configuration does not allow what was asked (e.g. public bind without a token)."""

    code = "config_error"
    status = 500
