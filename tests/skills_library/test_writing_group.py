"""The writing-group skills: each catalogue 'offline test' run against the skill's own script on generated fixtures."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script, skill_text
from tests.tools.fixtures.agent import stream_answering

WRITING_SKILLS = ["translate-text", "translate-document", "summarize", "proofread-polish", "rewrite-tone", "weekly-report",
                  "social-media-post", "speech-writer", "article-writer", "style-learner", "video-script", "word-count"]


@pytest.mark.parametrize("name", WRITING_SKILLS)
def test_writing_skill_body_names_its_script_and_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "writing"
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert scripts and any(f'script="{s}"' in body for s in scripts), "body must tell the model how to run its script"
    assert "run_skill_script" in front["allowed-tools"].split()
    assert "**中文**" in body and "**English**" in body


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_translation_keeps_glossary_terms_numbers_and_target_language(tmp_path):
    src = write(tmp_path / "src.txt", "小搭子支持本地模型，售价 1,299 元，2025年6月上市。")
    good = write(tmp_path / "good.txt", "Xiaodazi supports on-device models, costs 1,299 yuan and launches in June 2025.")
    out = run_script("translate-text", "termcheck.py", src, good, "--term", "小搭子=Xiaodazi", "--term", "本地模型=on-device model",
                     "--target-lang", "en", "--json")
    assert out["passed"] and [t["source"] for t in out["terms"]] == ["小搭子", "本地模型"]
    drift = write(tmp_path / "drift.txt", "Little Buddy supports local models and costs 1299 yuan, launching June 2025.")
    bad = run_script("translate-text", "termcheck.py", src, drift, "--term", "小搭子=Xiaodazi", "--target-lang", "en", "--json",
                     ok=False)
    assert bad["problems"] == ["glossary term 小搭子 should be rendered as Xiaodazi"]
    still_zh = run_script("translate-text", "termcheck.py", src, src, "--target-lang", "en", "--json", ok=False)
    assert "does not look like en" in still_zh["problems"][-1]


def test_docx_translation_keeps_paragraph_and_style_count(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_heading("项目简介", 1)
    p = doc.add_paragraph("小搭子是一个", style="List Bullet")
    p.add_run("本地优先").bold = True
    p.add_run("的助手。")
    doc.add_paragraph("")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "功能", "说明"
    doc.save(tmp_path / "介绍.docx")
    seg = run_script("translate-document", "doctrans.py", "extract", tmp_path / "介绍.docx", "--out", tmp_path / "s.json", "--json")
    segments = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert seg["segments"] == 4 and [s["text"] for s in segments][:2] == ["项目简介", "小搭子是一个本地优先的助手。"]
    english = ["Overview", "Xiaodazi is a local-first assistant.", "Feature", "Notes"]
    write(tmp_path / "tr.json", json.dumps({s["id"]: e for s, e in zip(segments, english, strict=True)}))
    out = run_script("translate-document", "doctrans.py", "apply", tmp_path / "介绍.docx", tmp_path / "tr.json", "--out",
                     tmp_path / "intro_en.docx", "--json")
    assert out["replaced"] == 4 and out["untranslated"] == []
    before, after = Document(tmp_path / "介绍.docx"), Document(tmp_path / "intro_en.docx")
    assert [p.style.name for p in after.paragraphs] == [p.style.name for p in before.paragraphs]
    assert [p.text for p in after.paragraphs] == ["Overview", "Xiaodazi is a local-first assistant.", ""]
    assert after.paragraphs[1].runs[0].bold is None and after.tables[0].cell(0, 1).text == "Notes"


def test_subtitle_and_markdown_translation_keep_timing_and_code(tmp_path):
    srt = write(tmp_path / "a.srt", "1\n00:00:01,000 --> 00:00:02,500\n你好\n\n2\n00:00:03,000 --> 00:00:04,000\n再见\n")
    write(tmp_path / "t.json", '{"c0": "Hello", "c1": "Goodbye"}')
    run_script("translate-document", "doctrans.py", "apply", srt, tmp_path / "t.json", "--out", tmp_path / "b.srt", "--mode",
               "bilingual")
    assert (tmp_path / "b.srt").read_text(encoding="utf-8").split("\n\n")[0] == "1\n00:00:01,000 --> 00:00:02,500\n你好\nHello"
    md = write(tmp_path / "a.md", "# 标题\n\n正文。\n\n```\nprint('不翻译')\n```\n- 列表项\n")
    segs = run_script("translate-document", "doctrans.py", "extract", md, "--out", tmp_path / "m.json", "--json")
    assert [s["text"] for s in segs["preview"]] == ["标题", "正文。", "列表项"]
    write(tmp_path / "mt.json", '{"l0": "Title", "l2": "Body.", "l7": "Item"}')
    run_script("translate-document", "doctrans.py", "apply", md, tmp_path / "mt.json", "--out", tmp_path / "en.md")
    assert (tmp_path / "en.md").read_text(encoding="utf-8") == "# Title\n\nBody.\n\n```\nprint('不翻译')\n```\n- Item\n"


def test_summary_chunks_are_all_visited_and_the_cap_is_checked(tmp_path):
    paras = [f"第{i}节。" + "这是一段关于项目进展的长文本，包含许多细节和数据。" * (8 + i % 5) for i in range(12)]
    src = write(tmp_path / "long.txt", "\n\n".join(paras))
    split = run_script("summarize", "chunks.py", "split", src, "--max-chars", "700", "--out", tmp_path / "c", "--json")
    n = split["chunks"]
    assert n >= 4 and all(len(p.read_text(encoding="utf-8")) <= 700 for p in (tmp_path / "c").glob("0*.txt"))
    seen = "".join(run_script("summarize", "chunks.py", "get", tmp_path / "c", "--index", i, "--json")["text"]
                   for i in range(1, n))
    status = run_script("summarize", "chunks.py", "status", tmp_path / "c", "--json")
    assert status["unread"] == [n] and "第11节" not in seen  # the last chunk is still unread, and the status says so
    run_script("summarize", "chunks.py", "get", tmp_path / "c", "--index", n)
    assert run_script("summarize", "chunks.py", "status", tmp_path / "c", "--json")["unread"] == []
    summary = write(tmp_path / "sum.md", "项目整体进展顺利。" * 10)
    assert run_script("summarize", "chunks.py", "measure", summary, "--cap", "100", "--json")["within_cap"]
    assert not run_script("summarize", "chunks.py", "measure", summary, "--cap", "50", "--json")["within_cap"]


PLANTED = "我们以经完成了第一阶段。\n明天在次检查按装的的情况。\n这个方案,我们下周讨论。\n"
FIXED = "我们已经完成了第一阶段。\n明天再次检查安装的情况。\n这个方案，我们下周讨论。\n"


def test_proofreading_finds_and_the_diff_touches_all_five_planted_errors(tmp_path):
    draft, fixed = write(tmp_path / "稿子.txt", PLANTED), write(tmp_path / "稿子_校对.txt", FIXED)
    scan = run_script("proofread-polish", "proofcheck.py", "scan", draft, "--json")
    found = {(i["rule"], i["found"]) for i in scan["issues"]}
    assert {("typo", "以经"), ("typo", "在次"), ("typo", "按装"), ("repeated-char", "的的"),
            ("ascii-punct-in-chinese", ",")} <= found
    diff = run_script("proofread-polish", "proofcheck.py", "diff", draft, fixed, "--json")
    olds = [c["old"] for c in diff["changes"]]
    assert len(diff["changes"]) == 5 and diff["lines_touched"] == [1, 2, 3]
    assert {"以", "在", "按", "的", ","} == {o[-1] for o in olds}


def test_shorter_rewrite_is_shorter_keeps_numbers_and_has_no_filler(tmp_path):
    old = write(tmp_path / "old.txt", "值得注意的是，在当今时代，我们团队在2024年实现了30%的增长，总而言之，表现非常出色。")
    good = write(tmp_path / "good.txt", "2024年团队增长了30%，表现出色。")
    out = run_script("rewrite-tone", "tonecheck.py", good, "--original", old, "--goal", "shorter", "--json")
    assert out["passed"] and out["ratio"] < 0.5 and out["fillers"] == []
    bad = write(tmp_path / "bad.txt", "总而言之，团队表现出色，值得注意的是增长很快，而且大家都非常非常努力地工作。")
    verdict = run_script("rewrite-tone", "tonecheck.py", bad, "--original", old, "--goal", "shorter", "--json")
    assert {"filler phrase: 值得注意的是", "filler phrase: 总而言之", "fact dropped: 2024", "fact dropped: 30%"} <= set(
        verdict["problems"])
    assert not verdict["passed"]


def test_weekly_report_from_notes_and_git_has_four_filled_sections(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    env_git = ["git", "-C", str(repo), "-c", "user.email=t@example.com", "-c", "user.name=小李"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for msg, date in (("chore: 上上周的旧提交", "2025-06-05T10:00:00"), ("feat: 登录页改版", "2025-06-17T10:00:00"),
                      ("fix: 修复支付回调", "2025-06-18T10:00:00")):
        (repo / "f.txt").write_text(msg, encoding="utf-8")
        subprocess.run([*env_git, "add", "."], check=True)
        subprocess.run([*env_git, "commit", "-qm", msg, "--date", date], check=True,
                       env={"GIT_COMMITTER_DATE": date, "PATH": "/usr/bin:/bin"})
    notes = write(tmp_path / "周记.md", "## 本周\n- [x] 完成需求评审\n- [ ] 支付接口联调 60%\n## 下周计划\n- 准备季度复盘材料\n"
                                        "## 风险\n- 短信服务审批还没下来，可能延期\n")
    out = run_script("weekly-report", "weekly.py", "--period", "week", "--date", "2025-06-18", "--git", repo, "--notes", notes,
                     "--out", tmp_path / "周报.md", "--json")
    texts = {k: [i["text"] for i in v] for k, v in out["sections"].items()}
    assert texts == {"done": ["登录页改版", "修复支付回调", "完成需求评审"], "in_progress": ["支付接口联调 60%"],
                     "next": ["准备季度复盘材料"], "risks": ["短信服务审批还没下来，可能延期"]}
    md = (tmp_path / "周报.md").read_text(encoding="utf-8")
    assert md.startswith("# 周报 2025-06-16 ~ 2025-06-22") and md.count("\n## ") == 4


def test_social_posts_follow_each_platforms_rules(tmp_path):
    xhs = write(tmp_path / "xhs.txt", "办公室续命｜这包豆子真的香☕\n周末去了趟烘焙坊……\n#咖啡 #手冲 #打工人日常\n")
    assert run_script("social-media-post", "postcheck.py", xhs, "--platform", "xiaohongshu", "--json")["passed"]
    long_title = write(tmp_path / "t.txt", "这是一个特别特别长的小红书标题一定会超过二十个字的限制吧\n正文\n#a #b #c\n")
    out = run_script("social-media-post", "postcheck.py", long_title, "--platform", "xiaohongshu", "--json")
    assert out["results"][0]["problems"][0].startswith("title is 28 characters")
    weibo = run_script("social-media-post", "postcheck.py", xhs, "--platform", "weibo", "--json")["results"][0]
    assert weibo["hashtags"] == [] and "0 hashtags" in weibo["problems"][0]  # Weibo wants #话题# style
    tweet = run_script("social-media-post", "postcheck.py", "--text", "中" * 141, "--platform", "x", "--json")["results"][0]
    assert tweet["length"] == 282 and not tweet["passed"]  # CJK counts double on X


def test_speech_length_fits_target_minutes(tmp_path):
    fits = write(tmp_path / "fits.txt", "各位同事，大家晚上好！" * 60)  # 600 Chinese characters ≈ 3 minutes
    out = run_script("speech-writer", "speechtime.py", fits, "--target", "3", "--json")
    assert out["chinese_chars"] == 540 and out["fits"] and out["minutes"] == 2.7
    long = write(tmp_path / "long.txt", "Thank you all for coming tonight. " * 80)  # 480 words
    over = run_script("speech-writer", "speechtime.py", long, "--target", "2", "--json")
    assert not over["fits"] and over["adjust"].startswith("cut about") and over["adjust"].endswith("words")


def test_article_skeleton_has_the_outline_headings_and_check_finds_gaps(tmp_path):
    outline = write(tmp_path / "outline.md", "- 为什么要做家庭储能\n- 怎么选设备\n  - 电池类型\n- 成本与回本\n")
    run_script("article-writer", "outline.py", "skeleton", outline, "--title", "家庭储能入门", "--out", tmp_path / "a.md")
    md = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert md.startswith("# 家庭储能入门") and "## 怎么选设备" in md and "### 电池类型" in md
    assert not run_script("article-writer", "outline.py", "check", outline, tmp_path / "a.md", "--json")["passed"]
    body = "家庭储能可以在电价低谷时充电。" * 12
    draft = write(tmp_path / "d.md", f"# 家庭储能入门\n\n## 为什么要做家庭储能\n\n{body}\n\n## 怎么选设备\n\n### 电池类型\n\n{body}\n")
    out = run_script("article-writer", "outline.py", "check", outline, draft, "--json")
    assert out["missing"] == ["成本与回本"] and out["thin"] == []


def test_style_figures_from_samples(tmp_path):
    write(tmp_path / "a.txt", "今天又加班啦～其实也还好吧！\n\n感觉项目快上线了，有点小激动😆\n")
    write(tmp_path / "b.md", "周末去爬山啦！风景超棒的～\n\n其实累得不行哈哈。\n")
    out = run_script("style-learner", "stylestats.py", tmp_path, "--json")
    assert out["samples"] == 2 and out["hedges"] == {"其实": 2, "感觉": 1, "有点": 1}
    assert out["emoji_per_1k"] > 0 and out["english_share"] == 0.0 and not out["uses_lists"]


@pytest.mark.slow  # starts the app and loads litellm
def test_style_profile_is_remembered_and_recalled_for_a_later_draft(live, llm):
    from tests.support.scripted_llm import text, tool_call

    samples = live.settings.workspace / "samples"
    samples.mkdir(parents=True)
    write(samples / "a.txt", "今天又加班啦～其实也还好吧！\n\n感觉项目快上线了😆\n")
    profile = "写作风格-朋友圈：句子短；常用“其实”“感觉”；每条一个 emoji；结尾常用～"
    llm.add(tool_call("run_skill_script", {"skill": "style-learner", "script": "stylestats.py", "args": ["samples", "--json"]},
                      id="s1"),
            tool_call("remember", {"text": profile}, id="m1"), text("记住了你的朋友圈风格。"),
            tool_call("recall", {"query": "写作风格 朋友圈"}, id="r1"), text("按你的风格：周五啦～其实还有点活没干完😆"))
    first, _ = stream_answering(live, "学一下我朋友圈的文风，样本在 samples 文件夹", "allow_once")
    stats = next(d["output"] for n, d in first if n == "tool_result" and '"samples": 1' in d["output"])
    assert '"其实": 1' in stats
    second, _ = stream_answering(live, "按我的风格写条周五的朋友圈", "allow_once")
    recalled = [d["output"] for n, d in second if n == "tool_result"]
    assert recalled and "句子短" in recalled[0]


def test_shot_list_durations_sum_to_the_target(tmp_path):
    shots = [{"seconds": 3, "shot": "特写 开箱", "voiceover": "三秒告诉你这台相机值不值"},
             {"seconds": 10, "shot": "中景 外观", "voiceover": "先看外观"},
             {"seconds": 20, "shot": "实拍样片", "voiceover": "夜景噪点控制得很好"}]
    write(tmp_path / "shots.json", json.dumps(shots, ensure_ascii=False))
    off = run_script("video-script", "shotlist.py", tmp_path / "shots.json", "--target", "30", "--json")
    assert off["total_seconds"] == 33 and not off["matches_target"]
    fit = run_script("video-script", "shotlist.py", tmp_path / "shots.json", "--target", "30", "--fit", "--out",
                     tmp_path / "分镜.xlsx", "--json")
    assert fit["matches_target"] and sum(fit["durations"]) == 30
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "分镜.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:2] == ("镜号", "时长(秒)") and sum(r[1] for r in rows[1:4]) == 30 and rows[4][:2] == ("合计", 30)
    write(tmp_path / "tight.json", json.dumps([{"seconds": 2, "shot": "口播", "voiceover": "这是一段明显说不完的很长很长的口播台词内容"}],
                                              ensure_ascii=False))
    assert run_script("video-script", "shotlist.py", tmp_path / "tight.json", "--json")["warnings"]


def test_word_count_of_a_docx_with_known_counts(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_heading("论文标题", 1)  # 4
    doc.add_paragraph("本文研究了 deep learning 在中文分词中的应用。")  # 14 汉字, 2 words
    doc.add_paragraph("We test it on 3 datasets, it's fast.")  # 7 words, 1 number
    doc.add_paragraph("参考文献")
    doc.add_paragraph("[1] 张三. 深度学习. 2020")
    doc.save(tmp_path / "论文.docx")
    full = run_script("word-count", "count.py", tmp_path / "论文.docx", "--json")
    assert (full["chinese_chars"], full["english_words"]) == (4 + 14 + 4 + 6, 9)
    body = run_script("word-count", "count.py", tmp_path / "论文.docx", "--exclude-references", "--min", "25", "--json")
    assert (body["chinese_chars"], body["english_words"], body["numbers"]) == (18, 9, 1)
    assert body["word_style_count"] == 28 and body["requirement"]["met"] and body["references_excluded"]
