"""The composition root: builds the parts from Settings and wires them together."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from xiaodazi.config import Settings
from xiaodazi.storage.repo import Store

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a request handler or the CLI may need, created once per process."""

    settings: Settings
    store: Store

    def close(self) -> None:
        self.store.close()


def build_services(settings: Settings) -> Services:
    """Create folders, open and migrate the database, and wire the parts."""
    settings.ensure_dirs()
    store = Store.open(settings.database_url, settings.backup_dir)
    return Services(settings=settings, store=store)
