import subprocess
import sys

import httpx
import pytest

from tests.support.proc import start_serve


def run_cli(*args, env=None, timeout=60):
    return subprocess.run([sys.executable, "-m", "xiaodazi", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_version_prints_name_and_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "xiaodazi 0.1.0"


def test_serve_on_public_address_without_token_is_refused(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "XIAODAZI_TOKEN"}
    env["XIAODAZI_DATA_DIR"] = str(tmp_path / "d")
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "1", env=env)
    assert result.returncode != 0
    assert "XIAODAZI_TOKEN" in result.stderr and "refusing" in result.stderr


def test_doctor_reports_each_check(tmp_path):
    import os

    env = {**os.environ, "XIAODAZI_DATA_DIR": str(tmp_path / "d"), "XIAODAZI_WORKSPACE": str(tmp_path / "w")}
    env.pop("DISPLAY", None)
    result = run_cli("doctor", env=env)
    assert result.returncode == 0
    assert "[OK] database opens" in result.stdout
    assert "[!!] no display" in result.stdout and "xiaodazi serve" in result.stdout


@pytest.fixture
def served(tmp_path):
    server = start_serve(tmp_path / "data", tmp_path / "workspace")
    yield server
    server.stop()


def test_real_serve_process_answers_health_and_requires_token(served):
    assert httpx.get(served.base_url + "/health").json() == {"status": "ok", "version": "0.1.0"}
    assert httpx.get(served.base_url + "/api/conversations").status_code == 401


def test_real_serve_process_keeps_conversations_across_restart(tmp_path):
    server = start_serve(tmp_path / "data", tmp_path / "workspace")
    with server.client() as c:
        cid = c.post("/api/conversations", json={"title": "持久"}).json()["id"]
    server.stop()  # SIGTERM: graceful shutdown
    again = start_serve(tmp_path / "data", tmp_path / "workspace")
    try:
        with again.client() as c:
            assert c.get(f"/api/conversations/{cid}").json()["title"] == "持久"
    finally:
        again.stop()


def test_token_is_not_written_to_the_log_file(tmp_path):
    secret = "tok-very-secret-value-123456"
    server = start_serve(tmp_path / "data", tmp_path / "workspace", token=secret)
    with httpx.Client(base_url=server.base_url) as c:
        c.get("/api/conversations", params={"token": secret})
        c.get("/api/conversations", headers={"Authorization": f"Bearer {secret}"})
    server.stop()
    log_text = (tmp_path / "data" / "logs" / "xiaodazi.log").read_text()
    assert "Application startup complete" in log_text
    assert secret not in log_text and secret not in server.output()
