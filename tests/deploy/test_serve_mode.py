"""Serve mode as the container runs it: no public bind without a token; JSON logs with secrets masked."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

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


def test_container_environment_without_a_token_refuses_to_start(tmp_path):
    # Exactly the image's settings (deploy/Dockerfile ENV) with XIAODAZI_TOKEN left out of .env.
    env = {k: v for k, v in os.environ.items() if k != "XIAODAZI_TOKEN"}
    env.update(XIAODAZI_HOST="0.0.0.0", XIAODAZI_PORT="8000", XIAODAZI_DATA_DIR=str(tmp_path / "data"),
               XIAODAZI_WORKSPACE=str(tmp_path / "workspace"))
    result = subprocess.run([sys.executable, "-m", "xiaodazi", "serve"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "XIAODAZI_TOKEN" in result.stderr
