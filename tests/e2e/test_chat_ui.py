"""The chat in a real browser: login, streaming, tool cards, approvals by click, search, quick ask."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TOKEN, open_app, set_language, shoot
from tests.support.chat import collect
from tests.support.scripted_llm import Reply, ToolCall, text

pytestmark = pytest.mark.slow


def _send(page, message: str) -> None:
    box = page.get_by_test_id("composer-input")
    box.fill(message)
    box.press("Enter")


def test_login_page_takes_the_token_and_opens_the_app(page):
    page.goto(page.base + "/")
    page.wait_for_url(re.compile(r"/login"))
    shoot(page, "login")
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Sign in").wait_for()
    shoot(page, "login")
    page.get_by_role("button", name="中文").click()
    page.get_by_test_id("login-token").fill("wrong")
    page.get_by_test_id("login-submit").click()
    page.get_by_role("alert").wait_for()
    assert "令牌不正确" in page.get_by_role("alert").inner_text()
    page.get_by_test_id("login-token").fill(TOKEN)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("new-conversation").wait_for()
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["xiaodazi_token"]["httpOnly"] is True


def test_desktop_token_is_removed_from_the_address_bar(page):
    open_app(page)
    page.get_by_test_id("new-conversation").wait_for()
    assert "token=" not in page.url


def test_message_streams_in_as_rendered_markdown(page, llm):
    llm.add(text("第三季度销售额同比增长 **18%**，主要来自华东。\n\n| 地区 | 增长 |\n| --- | --- |\n| 华东 | 25% |",
                 reasoning="先按季度汇总，再和去年同期比较。", chunk_size=3, chunk_delay=0.03))
    open_app(page)
    _send(page, "帮我分析 sales.xlsx 的季度趋势")
    answer = page.get_by_test_id("assistant-turn").last
    answer.locator("strong", has_text="18%").wait_for()
    answer.locator("table").wait_for()
    page.get_by_test_id("send").wait_for()  # the run ended: Stop turned back into Send
    thinking = answer.locator(".thinking")
    assert re.search(r"思考了 [\d.]+ 秒", thinking.inner_text())  # folded once the answer started
    assert "先按季度汇总" not in thinking.inner_text()
    thinking.locator("button").click()
    assert "先按季度汇总" in thinking.inner_text()
    assert "帮我分析 sales.xlsx" in page.get_by_test_id("chat-title").inner_text()
    assert page.locator("[data-turn]").count() == 2
    shoot(page, "chat")


def test_tool_call_card_and_approval_answered_by_a_click(page, llm, serve):
    (serve_ws := serve.log_path.parent / "workspace").mkdir(exist_ok=True)
    (serve_ws / "old.log").write_text("x")
    llm.add(Reply(tool_calls=[ToolCall("run_shell", {"command": "rm -f old.log"}, id="call_rm")]),
            text("已删除 old.log。"))
    open_app(page)
    _send(page, "删掉 old.log")
    card = page.get_by_test_id("approval-card")
    card.wait_for()
    assert card.get_by_test_id("approval-command").inner_text() == "rm -f old.log"
    shoot(page, "approval")
    card.get_by_test_id("approve-once").click()
    page.get_by_text("已删除 old.log。").wait_for()
    assert "你允许了一次" in page.get_by_test_id("approval-decided").inner_text()
    tool = page.get_by_test_id("tool-card").first
    assert "运行命令" in tool.inner_text() and "rm -f old.log" in tool.inner_text()
    assert not (serve_ws / "old.log").exists()


def test_search_finds_an_old_message_and_opens_it(page, serve, llm):
    llm.add(text("报销单在“财务/二〇二五”文件夹里。"))
    with serve.client() as c:
        cid = c.post("/api/conversations", json={"title": "去年的报销"}).json()["id"]
        with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "去年的报销单放在哪里了"}) as r:
            collect(r)
    open_app(page)
    page.keyboard.press("Control+k")
    page.get_by_test_id("search-input").fill("报销单")
    hit = page.get_by_test_id("search-hit").first
    hit.wait_for()
    assert hit.locator("mark").first.inner_text() == "报销单"
    shoot(page, "search")
    hit.click()
    page.wait_for_url(re.compile(cid))
    page.get_by_text("财务/二〇二五").wait_for()


def test_ime_composition_enter_does_not_send(page):
    open_app(page)
    box = page.get_by_test_id("composer-input")
    box.fill("zhengli")
    box.dispatch_event("compositionstart")
    box.evaluate("el => el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true, keyCode: 229, bubbles: true}))")
    box.dispatch_event("compositionend")
    page.wait_for_timeout(200)
    assert box.input_value() == "zhengli"
    assert "/c/" not in page.url


def test_quick_ask_answers_in_the_small_window(page, llm):
    llm.add(text("北京今天是晴天。", chunk_size=2, chunk_delay=0.02))
    page.set_viewport_size({"width": 420, "height": 560})
    open_app(page, "/quick")
    box = page.get_by_test_id("quick-input")
    assert page.evaluate("document.activeElement.dataset.testid") == "quick-input"
    box.fill("北京天气怎么样")
    box.press("Enter")
    page.get_by_test_id("quick-answer").get_by_text("北京今天是晴天。").wait_for()
    shoot(page, "quick")
    set_language(page, "en")
    page.reload()  # a reopened quick ask is empty and focused, never showing the last exchange
    page.get_by_placeholder("Ask anything…").wait_for()
    assert page.get_by_test_id("quick-input").input_value() == ""
    shoot(page, "quick")


def test_question_card_is_answered_by_a_click(page, llm):
    llm.add(Reply(tool_calls=[ToolCall("ask_user", {"question": "报告用哪种格式？", "choices": ["Word 文档", "PDF"]}, id="q1")]),
            text("好的，做成 PDF。"))
    open_app(page)
    _send(page, "把周报整理成文件")
    card = page.get_by_test_id("question-card")
    card.get_by_text("报告用哪种格式？").wait_for()
    shoot(page, "question")
    card.get_by_text("PDF").click()
    card.get_by_role("button", name=re.compile("回答")).click()
    page.get_by_text("好的，做成 PDF。").wait_for()
    assert "你的回答：PDF" in page.get_by_text("你的回答").inner_text()


def test_stop_keeps_the_partial_answer(page, llm):
    llm.add(text("这是一个很长的回答。" * 80, chunk_size=2, chunk_delay=0.05))
    open_app(page)
    _send(page, "写一篇长文")
    page.get_by_text("这是一个很长的回答").first.wait_for()
    page.get_by_test_id("stop").click()
    page.get_by_text("已停止").wait_for()
    page.get_by_test_id("send").wait_for()
    kept = page.get_by_test_id("assistant-turn").last.inner_text()
    assert "这是一个很长的回答" in kept and kept.count("这是一个很长的回答") < 80


def test_attachment_then_undo_this_tasks_file_changes(page, llm, serve):
    ws = serve.log_path.parent / "workspace"
    llm.add(Reply(tool_calls=[ToolCall("write_file", {"path": "汇总.md", "content": "# 汇总\n华东 120\n"}, id="w1")]),
            text("已写好 汇总.md。"))
    open_app(page)
    page.locator("input[type=file]").set_input_files(files=[{"name": "数据.csv", "mimeType": "text/csv",
                                                            "buffer": "地区,销售额\n华东,120\n".encode()}])
    page.locator(".composer .chip", has_text="数据.csv").wait_for()
    page.locator(".composer .chip .spinner").wait_for(state="detached")
    _send(page, "把附件汇总成 Markdown")
    page.get_by_text("已写好 汇总.md。").wait_for()
    assert (ws / "uploads" / "数据.csv").exists() and (ws / "汇总.md").exists()
    assert "数据.csv" in page.locator("[data-turn]").first.inner_text()
    page.get_by_role("button", name=re.compile(r"撤销更改（1 个文件）")).click()
    assert page.get_by_test_id("undo-commands-note").count() == 0  # only journaled tools ran
    shoot(page, "undo")
    page.get_by_role("button", name="撤销全部").click()
    page.get_by_text("已撤销").wait_for()
    assert not (ws / "汇总.md").exists()


def test_undo_list_says_what_commands_changed_is_not_in_it(page, llm, serve):
    llm.add(Reply(tool_calls=[ToolCall("run_shell", {"command": "echo 命令的输出"}, id="s1")]),
            Reply(tool_calls=[ToolCall("write_file", {"path": "记录.md", "content": "命令跑过了\n"}, id="w2")]),
            text("命令和文件都好了。"))
    open_app(page)
    _send(page, "跑个命令再写个文件")
    page.get_by_text("命令和文件都好了。").wait_for()
    page.get_by_role("button", name=re.compile(r"撤销更改（1 个文件）")).click()
    assert "无法自动撤销" in page.get_by_test_id("undo-commands-note").inner_text()
    page.get_by_role("button", name="撤销全部").click()
    page.get_by_text("已撤销").wait_for()


def test_always_allow_stores_a_rule_that_settings_shows_and_removes(page, llm, serve):
    (serve.log_path.parent / "workspace" / "tmp.log").write_text("x")
    llm.add(Reply(tool_calls=[ToolCall("run_shell", {"command": "rm -f tmp.log"}, id="call_always")]), text("删好了。"))
    open_app(page)
    _send(page, "删掉 tmp.log")
    page.get_by_test_id("approval-card").wait_for()
    page.keyboard.press("2")  # keys act on the newest pending card
    page.get_by_test_id("approve-always").click()
    page.get_by_text("删好了。").wait_for()
    assert "你总是允许此类操作" in page.get_by_test_id("approval-decided").inner_text()
    with serve.client() as c:
        mine = [r for r in c.get("/api/policy/rules").json()["rules"] if r["source"] != "default"]
    assert mine and mine[0]["action"] == "allow"
    page.goto(f"{page.base}/settings/rules")
    row = page.locator("tr", has_text=mine[0]["pattern"])
    row.get_by_role("button", name="删除").click()
    page.get_by_role("button", name="撤销").wait_for()  # the delete can be undone for 10 s
    with serve.client() as c:
        assert all(r["source"] == "default" for r in c.get("/api/policy/rules").json()["rules"])
