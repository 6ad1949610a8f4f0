"""Serve-mode logs: JSON lines on stdout, the level from LOG_LEVEL, secrets masked (tracebacks too)."""

from __future__ import annotations

import json
import logging

import pytest

from xiaodazi.config import Settings
from xiaodazi.logs import setup_logging


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)


def test_serve_mode_writes_masked_json_lines_at_the_chosen_level(tmp_path, capsys, monkeypatch, restore_logging):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    settings = Settings(mode="serve", data_dir=tmp_path / "data", token="tok-secret-value-998877")
    setup_logging(settings, stdout=True)
    log = logging.getLogger("xiaodazi.test")
    log.info("not shown at WARNING")
    try:
        raise RuntimeError("provider said no to sk-abcdefghijklmnop1234")
    except RuntimeError:
        log.exception("call failed for token %s", settings.token)
    lines = capsys.readouterr().out.splitlines()
    [record] = [json.loads(line) for line in lines]
    assert record["level"] == "ERROR" and record["logger"] == "xiaodazi.test"
    assert "tok-secret-value-998877" not in lines[0] and "sk-abcdefghijklmnop1234" not in lines[0]
    assert "tok…8877" in record["message"] and "sk-…1234" in record["exception"]
