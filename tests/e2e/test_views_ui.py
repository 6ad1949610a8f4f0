"""Settings, language, first run and a screenshot of every main view in both languages."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import TOKEN, open_app, set_language, shoot
from tests.support.chat import collect
from tests.support.proc import start_serve
from tests.support.scripted_llm import Reply, ToolCall, text

pytestmark = pytest.mark.slow


def test_language_switch_needs_no_reload_and_changes_html_lang(page):
    open_app(page, "/settings/appearance")
    page.get_by_test_id("language-select").select_option("en")
    page.get_by_role("heading", name="Appearance & language").wait_for()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.get_by_test_id("nav-settings").inner_text() == "Settings"
    assert page.get_by_test_id("new-conversation").inner_text().strip().endswith("New")
    page.reload()
    page.get_by_role("heading", name="Appearance & language").wait_for()  # the choice is remembered
    page.get_by_test_id("language-select").select_option("zh-CN")
    page.get_by_role("heading", name="外观与语言").wait_for()


def test_settings_page_saves_a_key_and_shows_it_masked(page, serve):
    open_app(page, "/settings/providers")
    page.get_by_test_id("settings-page").wait_for()
    page.get_by_test_id("provider-deepseek").click()
    page.get_by_test_id("provider-key").fill("sk-e2e-secret-98765abcd")
    page.get_by_test_id("provider-key-save").click()
    masked = page.get_by_test_id("masked-key").inner_text()
    assert "98765" not in masked and "secret" not in masked and masked.endswith("abcd")
    assert "已连接" in page.get_by_test_id("provider-deepseek").inner_text()
    with serve.client() as c:
        c.put("/api/providers/deepseek", json={"key": ""})


def test_rules_page_tests_a_command_and_grants_a_folder(page, serve):
    open_app(page, "/settings/rules")
    page.get_by_test_id("rule-probe").fill("rm -rf /")
    page.get_by_test_id("rule-probe").press("Enter")
    assert "拒绝" in page.get_by_test_id("rule-verdict").inner_text()
    page.get_by_placeholder("例如 ~/文档/报销").fill("/tmp/报销单")
    page.get_by_role("button", name="添加文件夹").click()
    page.get_by_text("/tmp/报销单").wait_for()
    with serve.client() as c:
        assert c.get("/api/settings").json()["granted_folders"] == ["/tmp/报销单"]
        c.put("/api/settings", json={"granted_folders": []})


def _seed(serve, llm) -> str:
    """A conversation with a plan, a finished tool call and an answer; a memory; files in the workspace."""
    ws = serve.log_path.parent / "workspace"
    (ws / "报告").mkdir(parents=True, exist_ok=True)
    (ws / "报告" / "季度总结.md").write_text("# 第三季度总结\n\n销售额同比增长 18%。\n", encoding="utf-8")
    (ws / "sales.csv").write_text("地区,销售额\n华东,120\n华北,95\n", encoding="utf-8")
    llm.add(
        Reply(tool_calls=[ToolCall("update_plan", {"steps": [
            {"title": "读取数据", "status": "done"}, {"title": "按地区汇总", "status": "in_progress"},
            {"title": "写总结", "status": "pending"}]}, id="p1")]),
        Reply(tool_calls=[ToolCall("read_file", {"path": "sales.csv"}, id="r1")]),
        text("## 结论\n\n华东销售额 **120**，领先华北（95），高出 $r=\\frac{120-95}{95}$。\n\n```python\nimport pandas as pd\n"
             "df = pd.read_csv('sales.csv')  # 读取\nprint(df.groupby('地区').sum())\n```\n"),
    )
    with serve.client() as c:
        cid = c.post("/api/conversations", json={"title": "季度销售分析"}).json()["id"]
        with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "分析 sales.csv 里各地区的销售额"},
                      timeout=60) as r:
            events = collect(r)
        assert events[-1][0] == "done", events[-1]
        c.post("/api/memory", json={"content": "习惯用 WPS 打开表格", "kind": "preference"})
    return cid


def test_screenshots_of_each_main_view_in_both_languages(page, serve, llm):
    cid = _seed(serve, llm)
    open_app(page)
    for lang in ("zh-CN", "en"):
        set_language(page, lang)
        page.goto(f"{page.base}/c/{cid}")
        page.get_by_test_id("tool-card").first.wait_for()
        page.locator(".code-block .hljs-keyword").first.wait_for()  # highlight.js arrived on demand
        page.locator(".math .katex").first.wait_for()  # and so did KaTeX, offline, next to Chinese text
        shoot(page, "conversation")
        page.goto(f"{page.base}/settings/providers")
        page.get_by_test_id("provider-dashscope").wait_for()
        shoot(page, "settings-providers")
        page.goto(f"{page.base}/settings/rules")
        page.locator("table").first.wait_for()
        shoot(page, "settings-rules")
        page.goto(f"{page.base}/settings/appearance")
        shoot(page, "settings-appearance")
        page.goto(f"{page.base}/skills")
        page.locator("article").first.wait_for()
        shoot(page, "skills")
        page.goto(f"{page.base}/memory")
        page.get_by_text("习惯用 WPS 打开表格").wait_for()
        shoot(page, "memory")
        page.goto(f"{page.base}/files")
        page.get_by_text("sales.csv").click()
        page.get_by_text("华东,120").wait_for()
        shoot(page, "files")
    page.evaluate("localStorage.setItem('xdz.theme', 'dark'); localStorage.setItem('xdz.locale', 'zh-CN')")
    page.goto(f"{page.base}/c/{cid}")
    page.locator(".math .katex").first.wait_for()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    shoot(page, "conversation-dark")
    tool_titles = page.evaluate("[...document.querySelectorAll('[data-testid=tool-card] .verb')].map(e => e.textContent)")
    assert "run_shell" not in tool_titles and "read_file" not in tool_titles


@pytest.fixture(scope="module")
def fresh_serve(tmp_path_factory):
    """A server as a new user gets it: no provider configured."""
    base = tmp_path_factory.mktemp("fresh")
    server = start_serve(base / "data", base / "workspace", token=TOKEN)
    yield server
    server.stop()


def test_first_run_offers_three_ways_to_start(browser, fresh_serve):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.base = fresh_serve.base_url
    for lang in ("zh-CN", "en"):
        open_app(page)
        set_language(page, lang)
        page.reload()
        onboarding = page.get_by_test_id("onboarding")
        onboarding.wait_for()
        assert onboarding.locator("input[type=radio]").count() == 3
        assert re.search("推荐|Recommended", onboarding.inner_text())
        shoot(page, "first-run")
    page.get_by_text("Try the offline demo model first").click()
    page.get_by_role("heading", name="What can I help with?").wait_for()
    context.close()


def test_mcp_server_added_by_pasting_json_shows_its_tools_and_can_be_disabled(page, serve):
    import json
    import sys

    doc = {"mcpServers": {"clock": {"command": sys.executable, "args": ["-m", "mcp_server_time"]}}}
    open_app(page, "/settings/capabilities")
    page.get_by_test_id("mcp-paste").fill("{not json")
    page.get_by_test_id("mcp-add").click()
    page.get_by_role("alert").wait_for()
    assert "JSON" in page.get_by_role("alert").inner_text()
    page.get_by_test_id("mcp-paste").fill(json.dumps(doc))
    page.get_by_test_id("mcp-add").click()
    page.get_by_text("clock", exact=True).wait_for()
    page.get_by_role("button", name="工具").click()
    page.get_by_test_id("mcp-tools").get_by_text("clock__get_current_time").wait_for(timeout=60_000)
    page.get_by_test_id("mcp-enable-clock").uncheck()
    page.get_by_text("已停用").wait_for()
    with serve.client() as c:
        server = next(s for s in c.get("/api/mcp/servers").json()["items"] if s["name"] == "clock")
        assert server["status"] == "disabled"
        c.delete("/api/mcp/servers/clock")


def test_desktop_settings_record_a_hotkey_by_pressing_it_and_explain_a_bad_one(page, serve):
    open_app(page, "/settings/desktop")
    page.get_by_test_id("desktop-not-attached").wait_for()  # a browser on `serve`: no window to register with
    recorder = page.get_by_test_id("hotkey-quick_ask")
    assert recorder.inner_text().strip() == "Ctrl+Alt+Space"  # the default
    recorder.click()
    assert "请按下组合键" in recorder.inner_text()
    page.keyboard.press("Control+Alt+KeyK")
    page.get_by_text("已保存").wait_for()
    assert recorder.inner_text().strip() == "Ctrl+Alt+K"
    recorder.click()
    page.keyboard.press("Shift+KeyK")  # no Ctrl/Alt/Super: refused with the reason, nothing lost
    page.get_by_role("alert").filter(has_text="Ctrl, Alt or Super").wait_for()
    shoot(page, "settings-desktop")
    with serve.client() as c:
        assert c.get("/api/settings").json()["quick_ask_hotkey"] == "Ctrl+Alt+K"
        page.get_by_test_id("close-to-tray").click()
        page.get_by_text("已保存").wait_for()
        assert c.get("/api/settings").json()["close_to_tray"] is False
        page.get_by_role("button", name="恢复默认").first.click()  # the server knows the default
        page.get_by_test_id("hotkey-quick_ask").filter(has_text="Ctrl+Alt+Space").wait_for()
        assert c.get("/api/settings").json()["quick_ask_hotkey"] == "Ctrl+Alt+Space"
        c.put("/api/settings", json={"close_to_tray": True})
