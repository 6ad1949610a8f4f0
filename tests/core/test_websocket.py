"""The WebSocket channel carries the same run events and accepts the client frames."""

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.support.scripted_llm import text, tool_call
from xiaodazi.core.tools import Risk, ToolContext, tool


def _ws(live, token=None):
    url = live.base_url.replace("http", "ws") + f"/api/ws?token={token or live.settings.token}"
    return connect(url, open_timeout=10)


def _until(ws, kinds=("done", "error")):
    frames = []
    while True:
        frame = json.loads(ws.recv(timeout=20))
        frames.append(frame)
        if frame["type"] in kinds:
            return frames


def test_send_over_websocket_streams_the_answer(live, llm):
    llm.add(text("通过 WebSocket 回答", chunk_size=3))
    cid = live.new_conversation()
    with _ws(live) as ws:
        ws.send(json.dumps({"type": "send", "conversation_id": cid, "content": "你好"}))
        frames = _until(ws)
    assert frames[0]["type"] == "message_start" and frames[-1]["type"] == "done"
    assert "".join(f["text"] for f in frames if f["type"] == "text") == "通过 WebSocket 回答"
    assert all(f["conversation_id"] == cid for f in frames)


def test_approval_answered_over_websocket(live, llm):
    ran = []

    @tool(risk=Risk.execute)
    def dangerous(ctx: ToolContext, what: str) -> str:
        """Do something that needs approval (test tool)."""
        ran.append(what)
        return "did " + what

    live.services.registry.register(dangerous)
    llm.add(tool_call("dangerous", {"what": "it"}), text("ok"))
    cid = live.new_conversation()
    with _ws(live) as ws:
        ws.send(json.dumps({"type": "send", "conversation_id": cid, "content": "go"}))
        approval = _until(ws, ("approval",))[-1]
        ws.send(json.dumps({"type": "approve", "id": approval["id"], "decision": "allow_once"}))
        frames = _until(ws)
    assert ran == ["it"] and frames[-1]["type"] == "done"


def test_bad_frames_get_error_frames_and_socket_stays_open(live):
    with _ws(live) as ws:
        ws.send("not json")
        assert json.loads(ws.recv(timeout=5))["code"] == "invalid_frame"
        ws.send(json.dumps({"type": "warp"}))
        assert "unknown frame" in json.loads(ws.recv(timeout=5))["message"]
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}


def test_websocket_without_token_is_refused(live):
    with pytest.raises(InvalidStatus) as refused:
        _ws(live, token="wrong")
    assert refused.value.response.status_code == 403
