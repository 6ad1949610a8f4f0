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
# Fixtures `database_url` / `postgres_admin_url`: SQLite, or PostgreSQL with XIAODAZI_TEST_DB=postgres.
pytest_plugins = ["tests.support.dbmode"]

TOKEN = "test-token-0123456789"


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(
        mode="serve", data_dir=tmp_path / "data", workspace=tmp_path / "workspace", token=TOKEN, warmup=False,
        allowed_hosts=["testserver"], database_url=database_url,
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


@pytest.fixture
def llm():
    """The scripted OpenAI-compatible model server (the only stand-in in these tests)."""
    from tests.support.scripted_llm import ScriptedLLM

    with ScriptedLLM() as server:
        yield server


@pytest.fixture
def llm_settings(settings, llm) -> Settings:
    """Settings whose default model is the scripted server, reached through litellm."""
    settings.model = "openai/scripted"
    settings.api_base = llm.base_url
    settings.api_key = "sk-test-planted-key-0042"
    settings.retry_backoff = 0.01
    settings.model_timeout = 10
    settings.stream_idle_timeout = 5
    settings.approval_timeout = 10
    return settings


@pytest.fixture
def live(llm_settings):
    """The app served by uvicorn on a free port in this process, wired to the scripted model."""
    from tests.support.chat import start_live
    from xiaodazi.providers.litellm_model import load_litellm

    load_litellm()  # once per test process, so first-turn timing does not skew the tests
    server = start_live(llm_settings)
    yield server
    server.server.stop()
