"""A 1,200-message conversation in the real UI (Debian chromium): time to show it, DOM size, scroll-back cost.

Prints figures; never fails on time. Needs the built UI (`make ui`) and `/usr/bin/chromium`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from tests.support.proc import start_serve  # noqa: E402

from xiaodazi.config import Settings  # noqa: E402
from xiaodazi.storage.repo import Store  # noqa: E402

PAIRS = 600
ANSWER = ("第 {i} 轮：销售额同比增长 **{p}%**，主要来自华东。\n\n| 地区 | 增长 |\n| --- | --- |\n| 华东 | {p}% |\n\n"
          "```python\nimport pandas as pd\ndf = pd.read_csv('sales.csv')\nprint(df.groupby('地区').sum())\n```\n")


def seed(data: Path, workspace: Path) -> str:
    settings = Settings(data_dir=data, workspace=workspace, token="bench")
    settings.ensure_dirs()
    store = Store.open(settings.database_url, settings.backup_dir)
    conv = store.create_conversation(title="很长的对话")
    for i in range(PAIRS):
        store.add_message(conv.id, "user", f"第 {i} 个问题：这个季度怎么样？")
        store.add_message(conv.id, "assistant", ANSWER.format(i=i, p=i % 40), status="complete")
    store.close()
    return conv.id


def measure(base_url: str, cid: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{base_url}/?token=bench")
        page.get_by_test_id("new-conversation").wait_for()
        started = time.perf_counter()
        page.goto(f"{base_url}/c/{cid}")
        page.get_by_text(f"第 {PAIRS - 1} 轮").wait_for()
        shown = time.perf_counter() - started
        nodes = page.evaluate("document.querySelectorAll('*').length")
        turns = page.evaluate("document.querySelectorAll('[data-turn]').length")
        started = time.perf_counter()
        for _ in range(5):  # five pages of older turns
            page.evaluate("document.querySelector('[data-testid=message-list]').scrollTop = 0")
            page.wait_for_timeout(50)
        older = (time.perf_counter() - started - 0.25) / 5
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize / 1048576 : 0")
        browser.close()
    return {"shown_s": shown, "dom_nodes": nodes, "turns_in_dom": turns, "older_page_s": older, "heap_mb": heap}


def main() -> None:
    if not Path("/usr/bin/chromium").exists() or not (ROOT / "src/xiaodazi/web/dist/index.html").exists():
        print("ui_long_chat: skipped (needs /usr/bin/chromium and the built UI: make ui)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        cid = seed(base / "data", base / "ws")
        server = start_serve(base / "data", base / "ws", token="bench")
        try:
            figures = measure(server.base_url, cid)
        finally:
            server.stop()
    print(f"conversation of {PAIRS * 2} messages")
    print(f"  navigate → last answer visible   {figures['shown_s'] * 1000:7.0f} ms")
    print(f"  turns in the DOM                 {figures['turns_in_dom']:7.0f}  (of {PAIRS * 2})")
    print(f"  DOM elements                     {figures['dom_nodes']:7.0f}")
    print(f"  one page of older turns          {figures['older_page_s'] * 1000:7.0f} ms")
    print(f"  JS heap                          {figures['heap_mb']:7.1f} MB")


if __name__ == "__main__":
    main()
