"""Shared fixtures: an isolated data folder per test, the app over real HTTP semantics, no internet."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# Provider keys from the developer's shell must never leak into tests.
for _name in ("DASHSCOPE_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_API_KEY", "DEEPSEEK_API_KEY",
              "GEMINI_API_KEY", "ZHIPUAI_API_KEY", "XIAODAZI_TOKEN", "XIAODAZI_API_KEY",
              "XIAODAZI_API_BASE", "XIAODAZI_MODEL", "XIAODAZI_DATA_DIR", "XIAODAZI_WORKSPACE"):
    os.environ.pop(_name, None)

from fastapi.testclient import TestClient  # noqa: E402

from tests.support import netguard  # noqa: E402
from xiaodazi.api.app import create_app  # noqa: E402
from xiaodazi.config import Settings  # noqa: E402

netguard.install()

TOKEN = "test-token-0123456789"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        mode="serve", data_dir=tmp_path / "data", workspace=tmp_path / "workspace", token=TOKEN,
        allowed_hosts=["testserver"],
    )


@pytest.fixture
def client(settings):
    """TestClient with the lifespan running and the bearer token set."""
    app = create_app(settings)
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c


@pytest.fixture
def anon_client(settings):
    """TestClient without credentials."""
    with TestClient(create_app(settings)) as c:
        yield c
