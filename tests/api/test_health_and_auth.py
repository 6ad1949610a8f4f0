from fastapi.testclient import TestClient

from tests.conftest import TOKEN
from xiaodazi.api.app import create_app


def test_health_body_is_exact_and_needs_no_token(anon_client):
    response = anon_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": "0.1.0"}


def test_docs_and_openapi_are_served(anon_client):
    assert "swagger" in anon_client.get("/docs").text.lower()
    paths = anon_client.get("/openapi.json").json()["paths"]
    assert "/api/conversations" in paths and "/api/search" in paths


def test_api_without_token_is_401_with_json_error(anon_client):
    response = anon_client.get("/api/conversations")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


def test_api_with_wrong_token_is_401(anon_client):
    response = anon_client.get("/api/conversations", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_api_with_token_is_200(client):
    assert client.get("/api/conversations").status_code == 200


def test_unknown_api_route_without_token_is_401_not_404(anon_client):
    assert anon_client.get("/api/does-not-exist").status_code == 401


def test_login_sets_httponly_cookie_that_authenticates(anon_client):
    response = anon_client.post("/api/auth/login", json={"token": TOKEN})
    assert response.status_code == 204
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert anon_client.get("/api/conversations").status_code == 200
    anon_client.post("/api/auth/logout")
    assert anon_client.get("/api/conversations").status_code == 401


def test_repeated_failed_logins_are_rate_limited(anon_client):
    codes = [anon_client.post("/api/auth/login", json={"token": f"guess{i}"}).status_code for i in range(12)]
    assert codes[:10] == [401] * 10
    assert codes[-1] == 429
    # even the right token is refused while blocked: guessing cannot be sped up
    assert anon_client.post("/api/auth/login", json={"token": TOKEN}).status_code == 429


def test_desktop_mode_rejects_foreign_host_header(settings):
    settings.mode = "desktop"
    settings.allowed_hosts = []
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as c:
        ok = c.get("/health")
        evil = c.get("/health", headers={"Host": "attacker.example:8000"})
    assert ok.status_code == 200
    assert evil.status_code == 403
    assert evil.json()["error"]["code"] == "forbidden_host"


def test_cors_is_closed_by_default(client):
    response = client.options(
        "/api/conversations",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
