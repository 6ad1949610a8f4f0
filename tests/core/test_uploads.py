"""Uploads keep safe, unique names; attachments reach the model as text or image parts."""

import io

import pytest

from tests.support.scripted_llm import text


def _upload(c, name, data, ctype="application/octet-stream"):
    return c.post("/api/uploads", files={"file": (name, io.BytesIO(data), ctype)})


@pytest.mark.parametrize("raw,expected", [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("报告 2026.pdf", "报告 2026.pdf"),
    ("CON.txt", "_CON.txt"),
    ("a<b>c:d|e?f*.txt", "a_b_c_d_e_f_.txt"),
    ("...", "file"),
])
def test_upload_names_are_sanitized(live, raw, expected):
    with live.client() as c:
        body = _upload(c, raw, b"x").json()
    assert body["name"] == expected
    assert (live.settings.workspace / "uploads" / expected).read_bytes() == b"x"


def test_control_characters_are_dropped_from_names():
    from xiaodazi.attachments import safe_name

    assert safe_name("evil\x00na\u202eme.txt") == "evilname.txt"
    assert safe_name("  .hidden  ") == "hidden"


def test_upload_never_overwrites(live):
    with live.client() as c:
        first = _upload(c, "a.txt", b"one").json()
        second = _upload(c, "a.txt", b"two").json()
    assert first["id"] == "a.txt" and second["id"] == "a-2.txt"
    assert (live.settings.workspace / "uploads" / "a.txt").read_bytes() == b"one"


def test_text_attachment_is_inlined_for_the_model(live, llm):
    llm.add(text("已读"))
    with live.client() as c:
        up = _upload(c, "notes.txt", "会议纪要：周五发布".encode()).json()
    cid = live.new_conversation()
    live.send(cid, "总结附件", attachments=[up["id"]])
    sent = llm.requests[0]["messages"][-1]["content"]
    assert "总结附件" in sent and "会议纪要：周五发布" in sent and "uploads/notes.txt" in sent


def test_image_for_a_model_without_vision_is_refused_clearly(live):
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    with live.client() as c:
        up = _upload(c, "shot.png", png, "image/png").json()
        cid = c.post("/api/conversations").json()["id"]
        r = c.post(f"/api/conversations/{cid}/messages", json={"content": "看图", "attachments": [up["id"]]})
        assert r.status_code == 422 and "cannot see images" in r.json()["error"]["message"]
        assert c.get(f"/api/conversations/{cid}/messages").json()["items"] == []


def test_image_goes_to_a_vision_model_as_an_image_part(live, llm):
    live.services.providers.update("dashscope", base_url=llm.base_url, key="sk-test-vision-key-1")
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    llm.add(text("一个像素"))
    with live.client() as c:
        up = _upload(c, "shot.png", png, "image/png").json()
    cid = live.new_conversation()
    live.send(cid, "看图", attachments=[up["id"]], model="dashscope/qwen3-vl-plus")
    parts = llm.requests[0]["messages"][-1]["content"]
    assert parts[0]["type"] == "text" and parts[1]["type"] == "image_url"
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_unknown_attachment_is_404(live):
    with live.client() as c:
        cid = c.post("/api/conversations").json()["id"]
        r = c.post(f"/api/conversations/{cid}/messages", json={"content": "x", "attachments": ["../secret"]})
        assert r.status_code == 404
