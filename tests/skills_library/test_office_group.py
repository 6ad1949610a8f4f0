"""The office-group skills: each catalogue 'offline test' run against the skill's own script on generated fixtures."""

from __future__ import annotations

import json
import mailbox
import re
import socketserver
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script, skill_text
from tests.tools.fixtures.agent import stream_answering

OFFICE_SKILLS = ["calendar-event-ics", "free-slot-finder", "todo-list", "reminder", "email-draft", "email-inbox",
                 "mail-merge", "meeting-minutes", "project-plan", "pomodoro-timer", "daily-briefing", "job-application"]
FIXTURES = Path(__file__).parent / "fixtures_part2"


@pytest.mark.parametrize("name", OFFICE_SKILLS)
def test_office_skill_body_names_its_script_and_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "office"
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert scripts and any(f'script="{s}"' in body for s in scripts), "body must tell the model how to run its script"
    assert "run_skill_script" in front["allowed-tools"].split()
    assert "**中文**" in body and "**English**" in body


def unfold(ics: str) -> dict[str, list[str]]:
    """Property name (with parameters) → values, after RFC 5545 unfolding."""
    props: dict[str, list[str]] = {}
    for line in re.sub(r"\r\n[ \t]", "", ics).split("\r\n"):
        name, _, value = line.partition(":")
        props.setdefault(name, []).append(value)
    return props


def test_ics_event_has_tzid_start_alarm_recurrence_and_folded_lines(tmp_path):
    title = "季度复盘会，讨论第三季度的销售数据、市场活动效果以及下一季度的预算分配方案"
    out = run_script("calendar-event-ics", "ics.py", "make", "--title", title, "--start", "2025-12-03 14:00", "--minutes",
                     "90", "--alarm", "15", "--repeat", "weekly", "--count", "4", "--attendee", "张三 <zs@example.com>",
                     "--out", tmp_path / "m.ics", "--json")
    raw = (tmp_path / "m.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")) and raw.count(b"\r\n") > 10
    props = unfold(raw.decode("utf-8"))
    assert props["DTSTART;TZID=Asia/Shanghai"] == ["20251203T140000"] and props["DTEND;TZID=Asia/Shanghai"] == ["20251203T153000"]
    assert props["TZID"] == ["Asia/Shanghai"] and props["TZOFFSETTO"] == ["+0800"]
    assert props["TRIGGER"] == ["-PT15M"] and props["RRULE"] == ["FREQ=WEEKLY;COUNT=4"]
    assert props["SUMMARY"] == [title] and out["events"][0]["summary"] == title
    assert any(k.startswith("ATTENDEE;CN=\"张三\"") for k in props)


def test_ics_daylight_saving_zone_is_written_in_utc(tmp_path):
    run_script("calendar-event-ics", "ics.py", "make", "--title", "NY call", "--start", "2025-07-03 09:00", "--tz",
               "America/New_York", "--out", tmp_path / "ny.ics")
    props = unfold((tmp_path / "ny.ics").read_bytes().decode("utf-8"))
    assert props["DTSTART"] == ["20250703T130000Z"] and "TZID" not in props


def test_free_slots_of_two_calendars_equal_the_expected_list():
    out = run_script("free-slot-finder", "freeslots.py", FIXTURES / "alice.ics", FIXTURES / "bob.ics", "--from", "2025-12-15",
                     "--to", "2025-12-16", "--lunch", "12:00-13:00", "--min", "60", "--json")
    assert [(s["start"], s["end"]) for s in out["slots"]] == [
        ("2025-12-15 13:00", "14:00"), ("2025-12-15 15:00", "16:00"),
        ("2025-12-16 09:00", "12:00"), ("2025-12-16 13:00", "18:00"),  # transparent and cancelled events do not block
    ]


def test_todo_add_three_complete_one(tmp_path):
    todo = tmp_path / "todo.md"
    for task, extra in (("交报销单", ["--priority", "high", "--due", "明天"]), ("写周报", []), ("买咖啡豆", ["--tag", "生活"])):
        run_script("todo-list", "todo.py", "add", task, "--file", todo, "--today", "2025-06-16", *extra)
    run_script("todo-list", "todo.py", "done", "2", "--file", todo, "--today", "2025-06-16")
    text = todo.read_text(encoding="utf-8")
    assert "- [ ] 交报销单 !high 📅2025-06-17" in text and "- [x] 写周报 ✅2025-06-16" in text and "- [ ] 买咖啡豆 #生活" in text
    listed = run_script("todo-list", "todo.py", "list", "--file", todo, "--json")
    assert (listed["open"], listed["done"]) == (2, 1) and listed["tasks"][0]["text"] == "交报销单"
    today = run_script("todo-list", "todo.py", "today", "--file", todo, "--today", "2025-06-18", "--json")
    assert [t["text"] for t in today["tasks"]] == ["交报销单"] and today["tasks"][0]["overdue"]
    would = run_script("todo-list", "todo.py", "remove", "1", "--file", todo, "--json")
    assert "would_remove" in would and "交报销单" in todo.read_text(encoding="utf-8")  # nothing removed without --yes


@pytest.mark.parametrize(("phrase", "due", "repeat"), [
    ("20分钟后提醒我喝水", "2025-06-13T16:20", None),
    ("半小时后", "2025-06-13T16:30", None),
    ("in 2 hours", "2025-06-13T18:00", None),
    ("明天下午3点开会", "2025-06-14T15:00", None),
    ("今晚八点半", "2025-06-13T20:30", None),
    ("每个工作日早上9点打卡", "2025-06-16T09:00", "weekdays"),
    ("every monday at 10am", "2025-06-16T10:00", "weekly:0"),
])
def test_reminder_phrases_parse_against_a_fake_clock(phrase, due, repeat):
    out = run_script("reminder", "remind.py", "parse", phrase, "--now", "2025-06-13T16:00", "--json")  # a Friday
    assert (out["reminder"]["due"], out["reminder"]["repeat"]) == (due, repeat)


def test_reminder_fires_once_at_the_due_tick_and_repeats_move_on(tmp_path):
    store = tmp_path / "r.json"
    run_script("reminder", "remind.py", "add", "20分钟后", "--message", "喝水", "--store", store, "--now", "2025-06-13T16:00")
    run_script("reminder", "remind.py", "add", "every weekday at 9", "--message", "打卡", "--store", store,
               "--now", "2025-06-13T16:00")
    assert run_script("reminder", "remind.py", "due", "--store", store, "--now", "2025-06-13T16:19", "--json")["due"] == []
    fired = run_script("reminder", "remind.py", "due", "--store", store, "--now", "2025-06-13T16:20", "--json")
    assert [r["message"] for r in fired["due"]] == ["喝水"] and fired["next"] == "2025-06-16T09:00"
    assert run_script("reminder", "remind.py", "due", "--store", store, "--now", "2025-06-13T16:21", "--json")["due"] == []
    monday = run_script("reminder", "remind.py", "due", "--store", store, "--now", "2025-06-16T09:00", "--json")
    assert [r["message"] for r in monday["due"]] == ["打卡"] and monday["next"] == "2025-06-17T09:00"


@pytest.mark.slow  # starts the app and loads litellm
def test_reminder_due_tick_leads_to_a_notification_through_the_agent_loop(live, llm):
    from tests.support.scripted_llm import text, tool_call

    store = live.settings.workspace / "reminders.json"
    live.settings.workspace.mkdir(parents=True, exist_ok=True)
    run_script("reminder", "remind.py", "add", "20分钟后", "--message", "喝水", "--store", store, "--now", "2025-06-13T16:00")
    script = {"skill": "reminder", "script": "remind.py"}
    llm.add(tool_call("run_skill_script", {**script, "args": ["due", "--now", "2025-06-13T16:20", "--json"]}, id="d1"),
            tool_call("notify", {"title": "提醒 / Reminder", "body": "喝水"}, id="n1"),
            text("到点了：喝水。"))
    events, _ = stream_answering(live, "有到点的提醒吗？", "allow_once")
    results = [d["output"] for n, d in events if n == "tool_result"]
    assert '"message": "喝水"' in results[0]
    assert ("notify", "喝水") in [(n, d.get("body")) for n, d in events]
    assert json.loads(store.read_text(encoding="utf-8"))[0]["active"] is False


def test_email_draft_check_and_eml_draft(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("主题：关于发票开具的跟进\n\n王经理，您好：\n\n5月订单的发票还没收到，麻烦本周内开具。\n\n祝好！\n小李\n",
                     encoding="utf-8")
    out = run_script("email-draft", "eml.py", "save", draft, "--to", "wang@example.com", "--json")
    assert out["complete"] and out["has_greeting"] and out["has_signoff"]
    msg = BytesParser(policy=policy.default).parsebytes(Path(out["saved"]).read_bytes())
    assert msg["Subject"] == "关于发票开具的跟进" and msg["To"] == "wang@example.com" and msg["X-Unsent"] == "1"
    (tmp_path / "bare.txt").write_text("please send it [name]", encoding="utf-8")
    bare = run_script("email-draft", "eml.py", "check", tmp_path / "bare.txt", "--json")
    assert not bare["complete"] and len(bare["problems"]) == 4


def _mail(sender: str, subject: str, body: str, attach: tuple[str, bytes] | None = None, **headers) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "me@example.com", subject
    msg["Date"] = "Mon, 16 Jun 2025 09:00:00 +0800"
    for k, v in headers.items():
        msg[k.replace("_", "-")] = v
    msg.set_content(body)
    if attach:
        msg.add_attachment(attach[1], maintype="application", subtype="pdf", filename=attach[0])
    return msg


def test_inbox_triage_order_threads_and_attachments(tmp_path):
    box = mailbox.mbox(str(tmp_path / "inbox.mbox"))
    box.add(_mail("promo@shop.example", "夏季大促", "全场五折，点击退订", List_Unsubscribe="<mailto:u@shop.example>"))
    box.add(_mail("boss@corp.example", "紧急：合同今天内确认", "请今天下班前确认合同条款，可以吗？", ("合同.pdf", b"%PDF-1")))
    box.add(_mail("anna@corp.example", "周会纪要", "附件是纪要。", ("../纪要.pdf", b"%PDF-2")))
    box.add(_mail("boss@corp.example", "回复：周会纪要", "收到。"))
    box.flush()
    out = run_script("email-inbox", "inbox.py", "list", tmp_path / "inbox.mbox", "--me", "me@example.com", "--vip",
                     "boss@corp.example", "--json")
    order = [m["subject"] for m in out["messages"]]
    assert order[0] == "紧急：合同今天内确认" and order[-1] == "夏季大促" and out["messages"][-1]["priority"] == "low"
    threads = run_script("email-inbox", "inbox.py", "threads", tmp_path / "inbox.mbox", "--json")["threads"]
    assert threads[0] == {"subject": "周会纪要", "messages": [{"id": 2, "from": "anna@corp.example", "date": threads[0]["messages"][0]["date"]},
                                                            {"id": 3, "from": "boss@corp.example", "date": threads[0]["messages"][1]["date"]}]}
    saved = run_script("email-inbox", "inbox.py", "attachments", tmp_path / "inbox.mbox", "--out", tmp_path / "附件", "--json")
    assert sorted(Path(p).name for p in saved["saved"]) == ["合同.pdf", "纪要.pdf"]
    assert all(Path(p).parent == tmp_path / "附件" for p in saved["saved"])  # the ../ in a name cannot escape


class _IMAP(socketserver.StreamRequestHandler):
    """Just enough IMAP4rev1 for imaplib: a two-message INBOX; every command is recorded in server.commands."""

    def handle(self) -> None:
        self.wfile.write(b"* OK test IMAP ready\r\n")
        while line := self.rfile.readline().decode().strip():
            tag, verb, *rest = line.split(" ", 2)
            self.server.commands.append(" ".join([verb.upper(), *rest]))
            out = {"CAPABILITY": "* CAPABILITY IMAP4rev1\r\n", "EXAMINE": "* 2 EXISTS\r\n* 0 RECENT\r\n",
                   "SEARCH": "* SEARCH 1 2\r\n", "LOGOUT": "* BYE\r\n"}.get(verb.upper(), "")
            if verb.upper() == "FETCH":
                raw = bytes(self.server.mails[int(rest[0].split()[0]) - 1])
                self.wfile.write(f"* {rest[0].split()[0]} FETCH (BODY[] {{{len(raw)}}}\r\n".encode() + raw + b")\r\n")
            self.wfile.write(f"{out}{tag} OK done\r\n".encode())
            if verb.upper() == "LOGOUT":
                return


def test_imap_copy_is_read_only_and_feeds_the_triage(tmp_path):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _IMAP)
    server.commands, server.mails = [], [_mail("a@corp.example", "周报", "附上本周周报。"),
                                         _mail("boss@corp.example", "紧急：预算", "今天内回复可以吗？")]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (tmp_path / "pw.txt").write_text("app-password\n", encoding="utf-8")
    try:
        out = run_script("email-inbox", "inbox.py", "imap", "--host", "127.0.0.1", "--port", server.server_address[1],
                         "--plain", "--user", "me@example.com", "--password-file", tmp_path / "pw.txt", "--out",
                         tmp_path / "inbox.mbox", "--json")
    finally:
        server.shutdown()
        server.server_close()
    assert out["fetched"] == 2 and server.commands[1].startswith("LOGIN me@example.com") and "app-password" in server.commands[1]
    assert any(c.startswith("EXAMINE") for c in server.commands) and not any(c.startswith(("SELECT", "STORE")) for c in server.commands)
    assert all("BODY.PEEK[]" in c for c in server.commands if c.startswith("FETCH"))  # nothing gets marked as read
    listed = run_script("email-inbox", "inbox.py", "list", tmp_path / "inbox.mbox", "--vip", "boss@corp.example", "--json")
    assert [m["subject"] for m in listed["messages"]] == ["紧急：预算", "周报"]


class _SMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: every message's raw data lands in server.received."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 test ESMTP")
        while line := self.rfile.readline().decode("utf-8", "replace").strip():
            verb = line.split()[0].upper()
            if verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.received.append(data)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTP)
    server.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_mail_merge_three_rows_three_drafts_sent_only_after_confirm(tmp_path, smtp_server):
    from openpyxl import Workbook

    wb = Workbook()
    for row in (["姓名", "邮箱", "金额"], ["张三", "zs@example.com", 100], ["李四", "ls@example.com", 200],
                ["王五", "ww@example.com", 300]):
        wb.active.append(row)
    wb.save(tmp_path / "名单.xlsx")
    (tmp_path / "t.txt").write_text("主题：{{姓名}}，您的报销已到账\n\n{{姓名}}您好：\n\n报销 {{金额}} 元已到账。\n\n财务部\n",
                                    encoding="utf-8")
    out = run_script("mail-merge", "merge.py", "build", "--data", tmp_path / "名单.xlsx", "--template", tmp_path / "t.txt",
                     "--out", tmp_path / "drafts", "--from", "财务 <fin@example.com>", "--json")
    assert out["written"] == 3 and out["problems"] == []
    mails = [BytesParser(policy=policy.default).parsebytes(p.read_bytes()) for p in sorted((tmp_path / "drafts").glob("*.eml"))]
    assert [(m["To"], m["Subject"]) for m in mails] == [("zs@example.com", "张三，您的报销已到账"),
                                                       ("ls@example.com", "李四，您的报销已到账"),
                                                       ("ww@example.com", "王五，您的报销已到账")]
    assert "报销 200 元" in mails[1].get_content()
    port = str(smtp_server.server_address[1])
    held = run_script("mail-merge", "merge.py", "send", "--out", tmp_path / "drafts", "--smtp-host", "127.0.0.1",
                      "--smtp-port", port, "--tls", "none", "--json")
    assert held["sent"] == 0 and held["would_send"] == 3 and smtp_server.received == []
    sent = run_script("mail-merge", "merge.py", "send", "--out", tmp_path / "drafts", "--smtp-host", "127.0.0.1",
                      "--smtp-port", port, "--tls", "none", "--confirm", "--json")
    assert sent["sent"] == 3 and len(smtp_server.received) == 3 and b"X-Unsent" not in smtp_server.received[0]


def test_minutes_extract_owners_and_dates_and_render_docx(tmp_path):
    out = run_script("meeting-minutes", "minutes.py", "extract", FIXTURES / "meeting.txt", "--date", "2025-12-01", "--json")
    items = [(a["owner"], a["due"]) for a in out["action_items"]]
    assert items == [("李娜", "2025-12-04"), ("陈晨", "2025-12-08"), ("Tom", "2025-12-05")]
    assert [d["text"] for d in out["decisions"]] == ["好，那就决定12月15日正式上线。"]
    assert len(out["open_questions"]) == 2 and "王经理" in out["participants"]
    minutes = {"title": "上线会", "date": "2025-12-01", "participants": out["participants"], "decisions": ["12月15日上线"],
               "action_items": out["action_items"], "open_questions": ["扩容预算"]}
    (tmp_path / "m.json").write_text(json.dumps(minutes, ensure_ascii=False), encoding="utf-8")
    run_script("meeting-minutes", "minutes.py", "render", tmp_path / "m.json", "--out", tmp_path / "纪要.docx")
    from docx import Document

    table = Document(tmp_path / "纪要.docx").tables[0]
    assert [c.text for c in table.rows[1].cells][2:] == ["李娜", "2025-12-04"] and len(table.rows) == 4


def test_project_plan_xlsx_columns_gantt_and_png(tmp_path):
    tasks = [{"任务": "需求调研", "负责人": "王芳", "工期": 3}, {"任务": "原型设计", "负责人": "李雷", "工期": 4, "前置": "需求调研"},
             {"任务": "开发", "负责人": "张伟", "工期": 10, "前置": "2"}, {"任务": "上线", "负责人": "王芳", "工期": 0, "前置": "开发"}]
    (tmp_path / "t.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    out = run_script("project-plan", "plan.py", tmp_path / "t.json", "--start", "2025-12-05", "--xlsx", tmp_path / "plan.xlsx",
                     "--png", tmp_path / "gantt.png", "--json")
    assert [(t["start"], t["end"]) for t in out["tasks"]] == [("2025-12-05", "2025-12-09"), ("2025-12-10", "2025-12-15"),
                                                              ("2025-12-16", "2025-12-29"), ("2025-12-30", "2025-12-30")]
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "plan.xlsx").active
    head = [c.value for c in ws[1]]
    assert head[2:6] == ["任务 Task", "负责人 Owner", "开始 Start", "结束 End"] and ws.cell(4, 3).value == "开发"
    filled = [c.fill.fgColor.rgb for c in ws[4][8:] if c.fill.fill_type == "solid"]
    assert len(filled) == 10  # one coloured Gantt cell per working day of the 10-day task
    assert (tmp_path / "gantt.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_pomodoro_accelerated_clock_announces_each_phase_and_logs(tmp_path):
    pomo = lambda *a: run_script("pomodoro-timer", "pomodoro.py", *a, "--dir", tmp_path / "p", "--json")  # noqa: E731
    pomo("start", "--task", "写论文", "--work", "25", "--break", "5", "--cycles", "2", "--now", "2025-06-16T09:00:00")
    assert pomo("status", "--now", "2025-06-16T09:10:00")["announce"] == []
    brk = pomo("status", "--now", "2025-06-16T09:26:00")
    assert brk["phase"]["kind"] == "break" and "休息" in brk["announce"][0]
    assert "开始专注" in pomo("status", "--now", "2025-06-16T09:31:00")["announce"][0]
    end = pomo("status", "--now", "2025-06-16T10:00:00")
    assert end["finished"] and "全部" in end["announce"][0]
    log = [json.loads(x) for x in (tmp_path / "p" / "log.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["end"] for e in log] == ["2025-06-16T09:25:00", "2025-06-16T09:55:00"]
    assert pomo("report")["per_task"] == {"写论文": {"sessions": 2, "minutes": 50}}


class _Feeds(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server naming
        if self.path.startswith("/weather"):
            body = json.dumps({"current_condition": [{"temp_C": "21", "lang_zh": [{"value": "小雨"}]}],
                               "weather": [{"mintempC": "18", "maxtempC": "25"}]}).encode()
        elif self.path == "/rss":
            body = ("<rss><channel><title>早报</title><item><title>头条一</title></item>"
                    "<item><title>头条二</title></item></channel></rss>").encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_daily_briefing_merges_calendar_todos_and_stubbed_weather_news(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (tmp_path / "todo.md").write_text("- [ ] 交报销单 📅2025-12-12\n- [x] 已完成的事\n- [ ] 买咖啡豆\n", encoding="utf-8")
    try:
        out = run_script("daily-briefing", "briefing.py", "--ics", FIXTURES / "alice.ics", "--todo", tmp_path / "todo.md",
                         "--weather-url", f"{base}/weather", "--news-url", f"{base}/rss", "--news-url", f"{base}/gone",
                         "--date", "2025-12-15", "--json")
    finally:
        server.shutdown()
        server.server_close()
    assert [(e["time"], e["title"]) for e in out["events"]] == [("10:00-11:30", "周会"), ("14:00-15:00", "客户电话")]
    assert out["todos"][0] == {"text": "交报销单", "due": "2025-12-12", "flag": "overdue", "high": False}
    assert len(out["todos"]) == 2 and out["weather"] == {"now_c": "21", "desc": "小雨", "min_c": "18", "max_c": "25"}
    assert out["news"] == ["头条一", "头条二"] and len(out["unavailable"]) == 1  # the broken feed only
    assert "周会" in out["markdown"] and "⚠️ 交报销单" in out["markdown"]


def test_job_match_tailored_resume_covers_the_jd_keywords(tmp_path):
    from docx import Document

    jd = tmp_path / "jd.txt"
    jd.write_text("任职要求：熟练掌握SQL、Python；熟悉A/B测试；有用户增长经验；搭建指标体系。", encoding="utf-8")
    plain = tmp_path / "cv.txt"
    plain.write_text("张三\n数据分析师\n- 负责报表开发\n", encoding="utf-8")
    keywords = "SQL,Python,A/B测试,用户增长,指标体系"
    before = run_script("job-application", "jdmatch.py", jd, plain, "--keywords", keywords, "--json")
    doc = Document()
    doc.add_paragraph("张三 · 数据分析师")
    doc.add_paragraph("用 SQL 和 Python 搭建用户增长指标体系，设计 12 组 A/B测试，转化率提升 8%")
    doc.save(tmp_path / "cv_tailored.docx")
    after = run_script("job-application", "jdmatch.py", jd, tmp_path / "cv_tailored.docx", "--keywords", keywords, "--json")
    assert before["coverage"] == 0.0 and after["coverage"] == 1.0 and after["missing"] == []
    assert after["quantified"]["with_numbers"] == 1
    auto = run_script("job-application", "jdmatch.py", jd, tmp_path / "cv_tailored.docx", "--json")
    assert {"SQL", "Python"} <= set(auto["keywords"]) and "指标体系" in " ".join(auto["keywords"])
