"""The model's context: old turns give way, the system prompt and the newest message never do."""


from tests.support.scripted_llm import text
from xiaodazi.core.context import OMITTED_NOTE, estimate_tokens, fit_window, repair_tool_pairs
from xiaodazi.core.tools import Risk, ToolContext, tool


def _turns(n, size):
    out = []
    for i in range(n):
        out += [{"role": "user", "content": f"q{i} " + "x" * size}, {"role": "assistant", "content": f"a{i}"}]
    return out + [{"role": "user", "content": "latest question"}]


def test_small_history_is_sent_whole():
    system = [{"role": "system", "content": "sys"}]
    history = _turns(3, 10)
    assert fit_window(system, history, 10_000) == system + history


def test_oldest_turns_are_dropped_to_fit_and_marked():
    system = [{"role": "system", "content": "sys"}]
    fitted = fit_window(system, _turns(10, 4000), 3000)
    assert fitted[0] == system[0] and fitted[-1]["content"] == "latest question"
    assert fitted[1]["content"] == OMITTED_NOTE
    kept = [m["content"][:3] for m in fitted if m["role"] == "user"][1:]
    assert "q0 " not in kept and len(kept) < 11


def test_last_user_message_is_kept_even_when_alone_too_big():
    system = [{"role": "system", "content": "sys"}]
    history = [{"role": "user", "content": "y" * 50_000}]
    assert fit_window(system, history, 100)[-1] == history[0]


def test_chinese_counts_about_a_token_per_character():
    assert 90 <= estimate_tokens("中" * 100) <= 110
    assert 20 <= estimate_tokens("a" * 100) <= 30


def test_tool_calls_cut_by_a_crash_get_a_placeholder_result():
    history = [{"role": "user", "content": "go"},
               {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "function": {"name": "x"}}]},
               {"role": "tool", "tool_call_id": "orphan", "content": "no call for me"},
               {"role": "user", "content": "again"}]
    repaired = repair_tool_pairs(history)
    assert [m["role"] for m in repaired] == ["user", "assistant", "tool", "user"]
    assert repaired[2]["tool_call_id"] == "c1" and "interrupted" in repaired[2]["content"]


def test_huge_tool_result_is_cut_and_saved_whole_in_the_workspace(live, llm):
    @tool(risk=Risk.read)
    def big_output(ctx: ToolContext) -> str:
        """Return a lot of text (test tool)."""
        return "行" * 50_000

    live.services.registry.register(big_output)
    from tests.support.scripted_llm import tool_call

    llm.add(tool_call("big_output", {}, id="big1"), text("读完了"))
    events = live.send(live.new_conversation(), "read it")
    result = next(d for n, d in events if n == "tool_result")
    assert len(result["output"]) < 21_000 and "full text is in .xiaodazi/tool-output/" in result["output"]
    saved = next((live.settings.workspace / ".xiaodazi" / "tool-output").glob("big_output-big1.txt"))
    assert saved.read_text() == "行" * 50_000
    assert len(llm.requests[1]["messages"][-1]["content"]) < 21_000
