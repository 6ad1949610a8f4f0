"""The dev-group skills: each catalogue 'offline test' run against the skill's own script on generated fixtures."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script, skill_text

DEV_SKILLS = ["git-helper", "code-review", "error-debugger", "regex-builder", "json-yaml-tool", "dev-encoders",
              "api-tester", "sql-helper", "log-analyzer", "project-scaffold", "cron-helper", "mock-data"]
FIXTURES = Path(__file__).parent / "fixtures_part2"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "t@example.com")
    git(path, "config", "user.name", "Tester")
    (path / "说明.txt").write_text("v1\n", encoding="utf-8")
    git(path, "add", ".")
    git(path, "commit", "-q", "-m", "feat(ui): 第一版界面")
    return path


@pytest.mark.parametrize("name", DEV_SKILLS)
def test_dev_skill_body_names_its_script_and_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "dev"
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert scripts and any(f'script="{s}"' in body for s in scripts), "body must tell the model how to run its script"
    assert "run_skill_script" in front["allowed-tools"].split()
    assert "**中文**" in body and "**English**" in body


def test_git_state_reports_staged_untracked_and_changelog_groups_commits(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / "说明.txt").write_text("v2\n", encoding="utf-8")
    git(repo, "commit", "-qam", "fix: 启动崩溃")
    (repo / "说明.txt").write_text("v3\n", encoding="utf-8")
    git(repo, "add", "说明.txt")
    (repo / "new.txt").write_text("x", encoding="utf-8")
    state = run_script("git-helper", "gitstate.py", "status", "--repo", repo, "--json")
    assert state["branch"] == "main" and state["staged"] == ["M 说明.txt"] and state["untracked"] == ["new.txt"]
    assert not state["clean"] and state["in_progress"] is None and len(state["last_commits"]) == 2
    log = run_script("git-helper", "gitstate.py", "changelog", "--repo", repo, "--json")
    assert log["sections"] == {"Fixes / 修复": [log["sections"]["Fixes / 修复"][0]],
                               "Features / 新功能": [log["sections"]["Features / 新功能"][0]]}
    assert "启动崩溃" in log["markdown"] and "**ui**: 第一版界面" in log["markdown"]


def _turn_with_decisions(live, content: str, decide) -> tuple[list, list]:
    """One chat turn; each approval is answered by decide(approval) → allow_once | deny.

    Unlike the shared stream_answering helper, the answer differs per approval: the commit is allowed, the reset denied.
    """
    from tests.support.chat import iter_sse

    events, approvals = [], []
    with live.client() as c, c.stream("POST", f"/api/conversations/{live.new_conversation()}/messages",
                                      json={"content": content}) as response:
        for name, data in iter_sse(response):
            events.append((name, data))
            if name == "approval":
                approvals.append(data)
                c.post(f"/api/approvals/{data['id']}", json={"decision": decide(data)})
            if name in ("done", "error"):
                break
    return events, approvals


@pytest.mark.slow  # starts the app and loads litellm
def test_git_commit_runs_and_reset_hard_waits_for_approval(live, llm):
    from tests.support.scripted_llm import text, tool_call

    repo = make_repo(live.settings.workspace)
    (repo / "说明.txt").write_text("v2\n", encoding="utf-8")
    llm.add(tool_call("run_shell", {"command": "git commit -qam 'docs: 更新说明'"}, id="c1"),
            tool_call("run_shell", {"command": "git reset --hard HEAD~1"}, id="r1"),
            text("提交已完成；回退操作被你拒绝了，什么都没丢。"))
    events, approvals = _turn_with_decisions(
        live, "帮我提交一下，然后把最后一次提交彻底回退", lambda a: "deny" if "reset" in json.dumps(a) else "allow_once")
    assert any("git reset --hard" in json.dumps(a, ensure_ascii=False) for a in approvals)
    assert git(repo, "log", "-1", "--format=%s").strip() == "docs: 更新说明"  # the commit exists and survived
    assert (repo / "说明.txt").read_text(encoding="utf-8") == "v2\n"


def test_diff_map_points_at_the_planted_bug_line(tmp_path):
    repo = make_repo(tmp_path / "repo")
    src = "def total(items):\n    s = 0\n    for x in items:\n        s += x\n    return s\n"
    (repo / "calc.py").write_text(src, encoding="utf-8")
    git(repo, "add", "calc.py")
    git(repo, "commit", "-qm", "calc")
    planted = src.replace("    for x in items:\n        s += x\n",
                          "    for i in range(len(items) - 1):\n        s += items[i]\n    if s == None:\n        s = 0\n")
    (repo / "calc.py").write_text(planted, encoding="utf-8")
    (tmp_path / "c.diff").write_text(git(repo, "diff"), encoding="utf-8")
    out = run_script("code-review", "diffmap.py", tmp_path / "c.diff", "--json")
    added = {ln["line"]: ln["text"] for h in out["files"][0]["hunks"] for ln in h["lines"] if ln["kind"] == "add"}
    assert added[3].strip() == "for i in range(len(items) - 1):" and out["totals"] == {"files": 1, "added": 4, "removed": 2}
    flags = {(f["rule"], f["line"]) for f in out["flags"]}
    assert ("off-by-one", 3) in flags and ("eq-none", 5) in flags
    live_diff = run_script("code-review", "diffmap.py", "--repo", repo, "--json")  # straight from git
    assert live_diff["files"][0]["path"] == "calc.py" and live_diff["flags"] == out["flags"]


def test_missing_import_is_diagnosed_patched_and_verified(tmp_path):
    script = tmp_path / "report.py"
    script.write_text('def main():\n    print(json.dumps({"ok": 1}))\n\n\nmain()\n', encoding="utf-8")
    first = run_script("error-debugger", "tracefix.py", "pyrun", script, "--json")
    assert first["exit_code"] == 1 and first["exception"] == "NameError"
    assert first["innermost_own_frame"]["line"] == 2 and first["patch"]["text"] == "import json"
    lines = script.read_text(encoding="utf-8").splitlines()  # what the model does with edit_file
    lines.insert(first["patch"]["insert_line"] - 1, first["patch"]["text"])
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    second = run_script("error-debugger", "tracefix.py", "pyrun", script, "--json")
    assert second["exit_code"] == 0 and '{"ok": 1}' in second["stdout_tail"]


def test_trace_parser_reads_node_and_java_and_maps_pip_names():
    node = "TypeError: Cannot read properties of undefined (reading 'map')\n    at render (/app/src/List.js:14:9)\n"
    out = run_script("error-debugger", "tracefix.py", "parse", node, "--text", "--json")
    assert out["language"] == "javascript" and out["innermost_own_frame"]["line"] == 14
    java = 'Exception in thread "main" java.lang.NullPointerException: x\n\tat com.a.Main.run(Main.java:7)\n'
    out = run_script("error-debugger", "tracefix.py", "parse", java, "--text", "--json")
    assert out["language"] == "java" and out["exception"].endswith("NullPointerException")
    cv = "ModuleNotFoundError: No module named 'cv2'"
    assert run_script("error-debugger", "tracefix.py", "parse", cv, "--text", "--json")["fix"] == "pip install opencv-python"


def test_regex_matches_every_positive_and_no_negative(tmp_path):
    (tmp_path / "good.txt").write_text("13812345678\n19900001111\n16600000000\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("12345678901\n1381234567\n138123456789\n010-12345678\n", encoding="utf-8")
    ok = run_script("regex-builder", "regex_test.py", "test", r"1[3-9]\d{9}", "--match-file", tmp_path / "good.txt",
                    "--no-match-file", tmp_path / "bad.txt", "--json")
    assert ok["passed"] and all(p["matched"] for p in ok["positives"]) and not any(n["matched"] for n in ok["negatives"])
    loose = run_script("regex-builder", "regex_test.py", "test", r"1\d{10}", "--match-file", tmp_path / "good.txt",
                       "--no-match-file", tmp_path / "bad.txt", "--json", ok=False)
    assert loose["matched_negatives"] == ["12345678901"]


def test_regex_named_groups_convert_and_findall_extracts(tmp_path):
    (tmp_path / "notes.txt").write_text("会议 2025-06-16，复盘 2025-07-01。", encoding="utf-8")
    out = run_script("regex-builder", "regex_test.py", "findall", r"(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})",
                     "--file", tmp_path / "notes.txt", "--json")
    assert out["matches"] == [{"y": "2025", "m": "06", "d": "16"}, {"y": "2025", "m": "07", "d": "01"}]
    bad = run_script("regex-builder", "regex_test.py", "test", "(", "--match", "x", "--json", ok=False)
    assert "position 0" in bad["error"]


def test_broken_json_and_yaml_report_the_line(tmp_path):
    (tmp_path / "bad.json").write_text('{\n  "a": 1,\n  "b": [1, 2,]\n}\n', encoding="utf-8")
    out = run_script("json-yaml-tool", "datafmt.py", "validate", tmp_path / "bad.json", "--json", ok=False)
    assert out["line"] == 3 and out["valid"] is False
    (tmp_path / "bad.yaml").write_text("server:\n  port: 80\n host: x\n", encoding="utf-8")
    assert run_script("json-yaml-tool", "datafmt.py", "validate", tmp_path / "bad.yaml", "--json", ok=False)["line"] == 3
    (tmp_path / "bad.toml").write_text("a = 1\nb = \n", encoding="utf-8")
    assert run_script("json-yaml-tool", "datafmt.py", "validate", tmp_path / "bad.toml", "--json", ok=False)["line"] == 2


def test_yaml_to_json_round_trip_is_equal_and_diff_finds_changes(tmp_path):
    src = tmp_path / "app.yaml"
    src.write_text("name: 小搭子\nitems:\n  - id: 1\n    tags: [a, b]\n  - id: 2\nserver:\n  port: 8080\n", encoding="utf-8")
    run_script("json-yaml-tool", "datafmt.py", "convert", src, "--to", "json", "--out", tmp_path / "app.json", "--json")
    run_script("json-yaml-tool", "datafmt.py", "convert", tmp_path / "app.json", "--to", "yaml", "--out", tmp_path / "back.yaml")
    run_script("json-yaml-tool", "datafmt.py", "convert", tmp_path / "app.json", "--to", "toml", "--out", tmp_path / "app.toml")
    assert run_script("json-yaml-tool", "datafmt.py", "diff", src, tmp_path / "back.yaml", "--json")["identical"]
    assert run_script("json-yaml-tool", "datafmt.py", "diff", src, tmp_path / "app.toml", "--json")["identical"]
    assert run_script("json-yaml-tool", "datafmt.py", "query", src, "items[*].id", "--json")["results"] == [1, 2]
    (tmp_path / "v2.yaml").write_text(src.read_text(encoding="utf-8").replace("8080", "9090"), encoding="utf-8")
    changes = run_script("json-yaml-tool", "datafmt.py", "diff", src, tmp_path / "v2.yaml", "--json")["changes"]
    assert changes == [{"path": "$.server.port", "change": "changed", "old": 8080, "new": 9090}]


def test_encoders_reproduce_known_vectors():
    enc = lambda *a: run_script("dev-encoders", "enc.py", *a, "--json")  # noqa: E731
    assert enc("base64", "你好 world")["text"] == "5L2g5aW9IHdvcmxk"
    assert enc("base64", "-d", "5L2g5aW9IHdvcmxk")["text"] == "你好 world"
    ts = enc("timestamp", "1700000000")
    assert ts["utc"] == "2023-11-14T22:13:20+00:00" and ts["local"] == "2023-11-15T06:13:20+08:00"
    assert enc("timestamp", "1700000000000")["input_unit"] == "ms"
    jwt = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
           ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
    payload = enc("jwt", jwt)
    assert payload["payload"]["name"] == "John Doe" and payload["times_utc"]["iat"] == "2018-01-18T01:30:22+00:00"
    assert enc("hash", "abc", "--algo", "md5")["md5"] == "900150983cd24fb0d6963f7d28e17f72"
    assert enc("url", "a b/中")["text"] == "a%20b%2F%E4%B8%AD" and enc("unicode", "-d", "\\u4f60\\u597d")["text"] == "你好"
    assert enc("color", "#ff8800")["rgb"] == "rgb(255, 136, 0)"


class _Api(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        auth_ok = self.headers.get("Authorization") == "Bearer secret-token-123"
        payload = json.dumps({"received": body, "auth": auth_ok}).encode()
        self.send_response(201 if auth_ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def api_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_api_call_shows_status_body_and_a_curl_snippet(api_server):
    out = run_script("api-tester", "http_call.py", "POST", f"{api_server}/orders", "--json-body", '{"sku": "A1", "数量": 2}',
                     "--bearer", "secret-token-123", "--json")
    assert out["response"]["status"] == 201 and out["response"]["json"] == {"received": {"sku": "A1", "数量": 2}, "auth": True}
    assert out["curl"].startswith("curl -sS -X POST") and "secret-token-123" not in out["curl"]
    denied = run_script("api-tester", "http_call.py", "POST", f"{api_server}/orders", "--json-body", "{}", "--json")
    assert denied["response"]["status"] == 401  # an HTTP error is a result, not a failure


def test_sql_over_sqlite_and_two_csvs_returns_expected_rows(tmp_path):
    (tmp_path / "客户.csv").write_text("客户ID,姓名,城市\n1,张三,北京\n2,李四,上海\n3,王五,北京\n", encoding="utf-8")
    (tmp_path / "orders.csv").write_bytes("order_id,客户ID,金额\n10,1,99.5\n11,1,20\n12,3,300\n".encode("gbk"))
    sql = 'SELECT c.城市, COUNT(*) AS n, SUM(o.金额) AS total FROM 客户 c JOIN orders o ON o.客户ID = c.客户ID GROUP BY c.城市'
    out = run_script("sql-helper", "sqlrun.py", "query", sql, "--csv", tmp_path / "客户.csv", tmp_path / "orders.csv", "--json")
    assert out["columns"] == ["城市", "n", "total"] and out["rows"] == [["北京", 3, 419.5]]
    db = tmp_path / "shop.sqlite"
    with sqlite3.connect(db) as con:
        con.executescript("CREATE TABLE p(id INTEGER, name TEXT); INSERT INTO p VALUES (1, '笔'), (2, '纸'), (3, '墨');")
    con.close()
    assert run_script("sql-helper", "sqlrun.py", "query", "SELECT name FROM p WHERE id >= 2 ORDER BY id", "--db", db,
                      "--json")["rows"] == [["纸"], ["墨"]]
    refused = run_script("sql-helper", "sqlrun.py", "query", "DELETE FROM p", "--db", db, "--json", ok=False)
    assert "read-only" in refused["error"]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM p").fetchone()[0] == 3
    con.close()


def test_log_analysis_groups_errors_with_exact_counts():
    out = run_script("log-analyzer", "logscan.py", "summary", FIXTURES / "app.log", "--json")
    assert out["levels"] == {"ERROR": 7, "INFO": 2, "WARNING": 1, "FATAL": 1}
    groups = {g["signature"]: g["count"] for g in out["error_groups"]}
    assert groups["db timeout after <n> ms on host <ip>"] == 4 and groups["user <n> not found (request id <uuid>)"] == 2
    assert groups["HTTP 502 GET /api/items"] == 1 and out["http_status"] == {"200": 1, "502": 1}
    assert out["error_spikes"] == [{"minute": "2025-06-16 14:32", "errors": 4}]
    around = run_script("log-analyzer", "logscan.py", "around", FIXTURES / "app.log", "--find", "disk full", "--context", "1",
                        "--json")
    assert around["hits"] == 1 and around["blocks"][0][1].startswith("10: ")


def test_python_scaffold_passes_its_own_tests(tmp_path):
    plan = run_script("project-scaffold", "scaffold.py", "plan", "python-package", tmp_path / "order-tool", "--json")
    assert not (tmp_path / "order-tool").exists() and "src/order_tool/__init__.py" in plan["files"]
    run_script("project-scaffold", "scaffold.py", "create", "python-package", tmp_path / "order-tool", "--title", "订单工具")
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}  # only the new project's own test, fast
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=tmp_path / "order-tool",
                          capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0 and "1 passed" in proc.stdout
    again = run_script("project-scaffold", "scaffold.py", "create", "cli", tmp_path / "order-tool", "--json", ok=False)
    assert "not empty" in again["error"]


def test_cron_weekday_morning_description_and_next_runs():
    out = run_script("cron-helper", "cron.py", "explain", "0 9 * * 1-5", "--from", "2025-06-13T10:00", "--count", "3", "--json")
    assert out["description"]["zh"] == "周一-周五 09:00 运行" and "09:00" in out["description"]["en"]
    assert out["next"] == ["2025-06-16 09:00 Mon", "2025-06-17 09:00 Tue", "2025-06-18 09:00 Wed"]
    either = run_script("cron-helper", "cron.py", "next", "0 8 1 * MON", "--from", "2025-06-01T09:00", "--count", "2", "--json")
    assert either["next"] == ["2025-06-02 08:00 Mon", "2025-06-09 08:00 Mon"]  # day-of-month OR weekday
    assert "6 fields" in run_script("cron-helper", "cron.py", "check", "0 0 9 * * 1", "--json", ok=False)["error"]


def test_mock_data_rows_valid_phones_ids_and_seeded(tmp_path):
    import re

    schema = "姓名:name,手机:phone,身份证:id,金额:float(10,500),状态:choice(待付款|已完成)"
    out = run_script("mock-data", "mockgen.py", "--schema", schema, "--rows", "50", "--seed", "7", "--out",
                     tmp_path / "m.json", "--json")
    rows = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert out["rows"] == len(rows) == 50 and list(rows[0]) == ["姓名", "手机", "身份证", "金额", "状态"]
    assert all(re.fullmatch(r"1[3-9]\d{9}", r["手机"]) for r in rows)
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert all(r["身份证"][-1] == "10X98765432"[sum(int(c) * w for c, w in zip(r["身份证"][:17], weights, strict=True)) % 11] for r in rows)
    assert all(10 <= r["金额"] <= 500 and r["状态"] in ("待付款", "已完成") for r in rows)
    again = run_script("mock-data", "mockgen.py", "--schema", schema, "--rows", "50", "--seed", "7", "--json")
    assert again["preview"] == rows[:5]
    run_script("mock-data", "mockgen.py", "--schema", "name:name", "--rows", "3", "--out", tmp_path / "m.sql", "--table", "t")
    with sqlite3.connect(":memory:") as con:
        con.execute('CREATE TABLE t("name" TEXT)')
        con.executescript((tmp_path / "m.sql").read_text(encoding="utf-8"))
        assert con.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 3
