"""Skills through the real agent loop: what the model is sent, load_skill, and script approvals."""

from __future__ import annotations

from tests.skills.conftest import write_skill
from tests.support.chat import iter_sse, text_of
from tests.support.scripted_llm import text, tool_call


def system_prompt(request) -> str:
    return request["messages"][0]["content"]


def test_hi_sends_no_skill_text_to_the_model(live, llm):
    llm.add(text("你好！"))
    live.send(live.new_conversation(), "hi")
    system = system_prompt(llm.requests[-1])
    assert "load_skill(name)" not in system and "file-organizer" not in system


def test_tidy_request_offers_file_organizer_and_model_loads_it(live, llm):
    llm.add(tool_call("load_skill", {"name": "file-organizer"}, id="s1"), text("好的，先看看下载文件夹。"))
    events = live.send(live.new_conversation(), "把下载文件夹按类型整理一下")
    assert "file-organizer" in system_prompt(llm.requests[0]) and "load_skill" in system_prompt(llm.requests[0])
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is True and "# Skill: file-organizer" in result["output"]
    assert text_of(events) == "好的，先看看下载文件夹。"


def _send_answering(live, cid, content, decision):
    """Send a message; answer every approval with `decision`; return (events, approvals)."""
    events, approvals = [], []
    with live.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages",
                                      json={"content": content}) as response:
        for name, data in iter_sse(response):
            events.append((name, data))
            if name == "approval":
                approvals.append(data)
                assert c.post(f"/api/approvals/{data['id']}", json={"decision": decision}).status_code == 204
            if name in ("done", "error"):
                break
    return events, approvals


def test_skill_script_asks_once_then_always_allowed_runs_without_asking(live, llm):
    folder = write_skill(live.settings.data_dir / "skills", "echo-tool", "Echoes words. Use when echoing.")
    (folder / "scripts").mkdir()
    (folder / "scripts" / "echo.py").write_text("import sys\nprint('echo:', *sys.argv[1:])\n")
    call = {"skill": "echo-tool", "script": "echo.py", "args": ["你好", "world"]}
    llm.add(tool_call("run_skill_script", call, id="r1"), text("done once"),
            tool_call("run_skill_script", call, id="r2"), text("done twice"))
    cid = live.new_conversation()
    events, approvals = _send_answering(live, cid, "echo please", "allow_always")
    assert len(approvals) == 1 and "run script echo.py of skill echo-tool" in str(approvals[0])
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is True and "echo: 你好 world" in result["output"]
    events, approvals = _send_answering(live, cid, "again", "deny")
    assert approvals == [] and "echo: 你好 world" in next(d for n, d in events if n == "tool_result")["output"]
