"""run_python in a real child interpreter: output, workspace cwd, charts as artifacts, limits, gate."""

from __future__ import annotations

import pytest

from tests.tools.fixtures.calls import call
from tests.tools.safety_ctx import safety_ctx
from xiaodazi.core.tools import Risk, ToolFailed, Verdict
from xiaodazi.tools.python_exec import cjk_fonts, run_python


@pytest.fixture
def ctx(tmp_path):
    return safety_ctx(tmp_path)


def test_prints_and_runs_in_the_workspace(ctx):
    (ctx.workspace / "data.csv").write_text("城市,人口\n北京,2189\n上海,2487\n", encoding="utf-8")
    code = "import os, pandas as pd\nprint(os.getcwd())\nprint(pd.read_csv('data.csv')['人口'].sum())"
    result = call(run_python, ctx, code=code)
    assert result.text.splitlines() == ["exit code 0", str(ctx.workspace), "4676"]
    assert run_python.risk == Risk.execute


def test_saved_chart_with_chinese_title_comes_back_as_an_artifact(ctx):
    code = ("import matplotlib.pyplot as plt, matplotlib\n"
            "plt.bar(['一月', '二月'], [3, 5]); plt.title('销售额'); plt.savefig('charts/sales.png')\n"
            "print(matplotlib.get_backend(), matplotlib.rcParams['font.sans-serif'][0])")
    (ctx.workspace / "charts").mkdir()
    result = call(run_python, ctx, code=code)
    assert result.artifacts == ["charts/sales.png"]
    assert (ctx.workspace / "charts" / "sales.png").read_bytes()[:4] == b"\x89PNG"
    backend, font = result.text.splitlines()[1].split(" ", 1)
    assert backend.lower() == "agg" and font == (cjk_fonts() or ["DejaVu Sans"])[0]
    assert "Glyph" not in result.text  # no missing-glyph warnings for the Chinese labels


def test_errors_show_the_traceback_and_exit_code(ctx):
    result = call(run_python, ctx, code="raise ValueError('坏了')")
    assert result.data["exit_code"] == 1 and "ValueError: 坏了" in result.text


def test_memory_cap_stops_a_runaway_allocation(ctx):
    result = call(run_python, ctx, code="x = bytearray(8 * 1024**3)\nprint('allocated')")
    assert "MemoryError" in result.text and "allocated" not in result.text


def test_timeout_stops_the_program(ctx):
    with pytest.raises(ToolFailed, match="timed out"):
        call(run_python, ctx, code="import time\nprint('go', flush=True)\ntime.sleep(30)", timeout=1)


def test_keys_are_not_visible_to_the_code(ctx, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
    result = call(run_python, ctx, code="import os\nprint(os.environ.get('ANTHROPIC_API_KEY'))")
    assert result.text.splitlines()[1] == "None"


def test_gate_asks_then_always_allow_is_remembered(ctx):
    gate = run_python.gate(ctx, {"code": "print(1)"})
    assert gate.verdict == Verdict.ask and gate.detail == "print(1)"
    gate.remember()
    assert run_python.gate(ctx, {"code": "print(2)"}).verdict == Verdict.allow
    assert any(r.pattern == "tool:run_python" for r in ctx.services["policy"].rules())


def test_gate_denies_code_that_runs_a_denied_command(ctx):
    ctx.services["policy"].allow_tool("run_python")
    gate = run_python.gate(ctx, {"code": "import subprocess\nsubprocess.run('rm -rf ~', shell=True)"})
    assert gate.verdict == Verdict.deny
