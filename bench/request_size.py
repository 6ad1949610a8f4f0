"""Model request size: "hi" against a skill-heavy request, through the real app and the scripted model.

Shows what each turn costs in prompt before the model has said anything. Prints figures; never fails.
Run: .venv/bin/python bench/request_size.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from tests.support.chat import start_live  # noqa: E402
from tests.support.scripted_llm import ScriptedLLM, text  # noqa: E402

from xiaodazi.config import Settings  # noqa: E402
from xiaodazi.providers.litellm_model import load_litellm  # noqa: E402

REQUESTS = {
    "hi": "hi",
    "skill-heavy": "把销售数据.xlsx 做成柱状图，写一份 Word 周报和一份 PPT，再把三个 PDF 合并成一个，"
                   "最后翻译成英文发邮件给同事",
}


def measure() -> dict[str, tuple[int, int, int]]:
    """label -> (request characters, tool schemas, system prompt characters)."""
    tmp = Path(tempfile.mkdtemp(prefix="xdz-size-"))
    load_litellm()
    out = {}
    with ScriptedLLM() as llm:
        llm.background = lambda req: '{"memories": []}' if "response_format" in req else "标题"
        settings = Settings(mode="serve", data_dir=tmp / "data", workspace=tmp / "ws", token="bench",
                            model="openai/scripted", api_base=llm.base_url, api_key="x", warmup=False)
        live = start_live(settings)
        try:
            for label, message in REQUESTS.items():
                llm.add(text("好的"))
                live.send(live.new_conversation(), message)
                body = {k: v for k, v in llm.requests[-1].items() if k != "_headers"}
                system = body["messages"][0]["content"]
                out[label] = (len(json.dumps(body, ensure_ascii=False)), len(body.get("tools") or []), len(system))
        finally:
            live.server.stop()
    return out


def main() -> int:
    for label, (size, tools, system) in measure().items():
        print(f'model request for "{label}": {size} characters, {tools} tool schemas, system prompt {system} characters')
    return 0


if __name__ == "__main__":
    sys.exit(main())
