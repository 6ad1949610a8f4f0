import os

import pytest


@pytest.fixture
def workspace(settings):
    ws = settings.workspace
    (ws / "报告").mkdir(parents=True, exist_ok=True)
    (ws / "报告" / "季度.md").write_text("# 第三季度\n增长 18%", encoding="utf-8")
    (ws / "a.txt").write_text("hello", encoding="utf-8")
    (ws / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (ws / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    (settings.data_dir).mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "secret.txt").write_text("top secret", encoding="utf-8")
    return ws


def test_listing_shows_folders_first_then_files(client, workspace):
    body = client.get("/api/files").json()
    assert body["path"] == "" and body["parent"] is None
    names = [item["name"] for item in body["items"]]
    assert names[0] == "报告"
    assert {"a.txt", "page.html", "pic.png"} <= set(names)
    txt = next(i for i in body["items"] if i["name"] == "a.txt")
    assert txt["kind"] == "file" and txt["size"] == 5


def test_listing_a_subfolder_gives_its_parent(client, workspace):
    body = client.get("/api/files", params={"path": "报告"}).json()
    assert body["parent"] == "" and [i["path"] for i in body["items"]] == ["报告/季度.md"]


def test_content_serves_text_inline(client, workspace):
    response = client.get("/api/files/content", params={"path": "报告/季度.md"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "第三季度" in response.text


def test_html_in_the_workspace_is_never_served_as_html(client, workspace):
    response = client.get("/api/files/content", params={"path": "page.html"})
    assert response.headers["content-type"].startswith("text/plain")
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_images_are_inline_and_download_is_an_attachment(client, workspace):
    assert client.get("/api/files/content", params={"path": "pic.png"}).headers["content-type"] == "image/png"
    response = client.get("/api/files/content", params={"path": "a.txt", "download": True})
    assert response.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize("path", [
    "..", "../data/secret.txt", "报告/../../data/secret.txt", "/etc/passwd", "//etc/passwd",
    "..\\..\\etc\\passwd".replace("\\", "/"), "./../workspace/../data",
])
def test_paths_outside_the_workspace_are_refused(client, workspace, path):
    for url in ("/api/files", "/api/files/content"):
        response = client.get(url, params={"path": path})
        assert response.status_code == 403, (url, path)
        assert response.json()["error"]["code"] == "path_outside_workspace"


def test_symlink_out_of_the_workspace_is_refused_and_hidden(client, workspace, settings):
    os.symlink(settings.data_dir, workspace / "escape")
    response = client.get("/api/files/content", params={"path": "escape/secret.txt"})
    assert response.status_code == 403
    assert "escape" not in [i["name"] for i in client.get("/api/files").json()["items"]]


def test_nul_byte_and_missing_files_get_clear_errors(client, workspace):
    assert client.get("/api/files/content", params={"path": "a\x00.txt"}).status_code == 422
    missing = client.get("/api/files/content", params={"path": "nope.txt"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/files/content", params={"path": "报告"}).status_code == 404


def test_files_need_the_token(anon_client, workspace):
    assert anon_client.get("/api/files").status_code == 401
