"""What the model is offered per turn: small for "hi", more when the request needs it."""

import json

from tests.support.scripted_llm import text, tool_call


def _tool_names(request):
    return {t["function"]["name"] for t in request.get("tools", [])}


def test_hi_sends_core_tools_only_and_no_skill_text(live, llm):
    llm.add(text("你好！"))
    live.send(live.new_conversation(), "hi")
    request = llm.requests[0]
    names = _tool_names(request)
    assert {"read_file", "run_shell", "web_search"} <= names
    assert not names & {"create_pptx", "click", "screenshot", "delete_file"}
    system = request["messages"][0]["content"]
    assert "load_skill(name)" not in system
    size = len(json.dumps({k: v for k, v in request.items() if k != "_headers"}, ensure_ascii=False))
    assert size < 8000, size


def test_document_request_offers_document_builders(live, llm):
    llm.add(text("好的"))
    live.send(live.new_conversation(), "帮我做一个关于季度销售的PPT")
    names = _tool_names(llm.requests[0])
    assert "create_pptx" in names and "click" not in names


def test_tools_used_earlier_stay_offered_in_follow_ups(live, llm):
    llm.add(tool_call("make_dir", {"path": "报告"}), text("建好了"), text("还在"))
    cid = live.new_conversation()
    live.send(cid, "新建文件夹 报告")
    live.send(cid, "好的，谢谢")
    assert "make_dir" in _tool_names(llm.requests[-1])
