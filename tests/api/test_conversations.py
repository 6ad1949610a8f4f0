import time


def test_create_returns_conversation_with_id(client):
    response = client.post("/api/conversations", json={"title": "周报"})
    assert response.status_code == 201
    body = response.json()
    assert len(body["id"]) == 32 and body["title"] == "周报"
    assert client.get(f"/api/conversations/{body['id']}").json()["title"] == "周报"


def test_create_accepts_empty_body(client):
    assert client.post("/api/conversations").status_code == 201


def test_list_is_newest_first_and_paginated(client):
    ids = []
    for i in range(5):
        ids.append(client.post("/api/conversations", json={"title": f"c{i}"}).json()["id"])
        time.sleep(0.002)
    first = client.get("/api/conversations", params={"limit": 2}).json()
    second = client.get("/api/conversations", params={"limit": 2, "offset": 2}).json()
    assert first["total"] == 5
    assert [c["id"] for c in first["items"]] == ids[::-1][:2]
    assert [c["id"] for c in second["items"]] == ids[::-1][2:4]


def test_patch_renames_and_pins(client):
    cid = client.post("/api/conversations", json={"title": "old"}).json()["id"]
    response = client.patch(f"/api/conversations/{cid}", json={"title": "new", "pinned": True})
    assert response.status_code == 200
    assert response.json()["title"] == "new" and response.json()["pinned"] is True


def test_pinned_conversation_lists_first(client):
    pinned = client.post("/api/conversations", json={"title": "keep"}).json()["id"]
    client.patch(f"/api/conversations/{pinned}", json={"pinned": True})
    client.post("/api/conversations", json={"title": "later"})
    assert client.get("/api/conversations").json()["items"][0]["id"] == pinned


def test_delete_removes_conversation(client):
    cid = client.post("/api/conversations").json()["id"]
    assert client.delete(f"/api/conversations/{cid}").status_code == 204
    missing = client.get(f"/api/conversations/{cid}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_messages_of_new_conversation_are_empty(client):
    cid = client.post("/api/conversations").json()["id"]
    assert client.get(f"/api/conversations/{cid}/messages").json() == {"items": []}


def test_messages_of_missing_conversation_is_404(client):
    assert client.get("/api/conversations/nope/messages").status_code == 404


def test_malformed_json_is_422_with_message(client):
    response = client.post(
        "/api/conversations", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert "json" in response.json()["error"]["message"].lower()


def test_wrong_types_and_unknown_fields_are_422(client):
    assert client.post("/api/conversations", json={"title": 5}).status_code == 422
    assert client.post("/api/conversations", json={"colour": "red"}).status_code == 422
    cid = client.post("/api/conversations").json()["id"]
    assert client.patch(f"/api/conversations/{cid}", json={"pinned": "maybe"}).status_code == 422


def test_bad_pagination_is_422(client):
    assert client.get("/api/conversations", params={"limit": 0}).status_code == 422
    assert client.get("/api/conversations", params={"offset": -1}).status_code == 422
