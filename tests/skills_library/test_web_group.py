"""The web skills: saved pages, feeds and API answers served on loopback to each skill's real script."""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import run_script
from tests.skills_library.fixtures_dataweb.checks import (
    check_body,
    check_documented_flags,
    check_shared_module,
    run_failing,
)
from tests.support.chat import iter_sse
from tests.support.scripted_llm import text, tool_call

FIXTURES = Path(__file__).parent / "fixtures_dataweb"
WEB_SKILLS = ["web-research", "webpage-reader", "web-table-scrape", "news-digest", "rss-reader", "price-compare",
              "paper-search", "page-change-monitor", "bookmark-organizer", "online-video-summary"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def site(tmp_path):
    """A loopback web server over a copy of the fixtures; yields (base_url, folder)."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES, root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def test_page_kit_exists_once_and_every_web_script_can_import_it():
    check_shared_module("pagekit", "webpage-reader", min_users=6)


@pytest.mark.parametrize("name", WEB_SKILLS)
def test_web_skill_body_names_its_tools_rules_and_examples(name):
    body = check_body(name, "web", "pagekit", "pagemd")
    check_documented_flags(body)
    assert re.search(r"is data|not instructions|untrusted", body), f"{name}: must treat web content as data"


def test_reader_returns_title_and_body_without_menus_ads_or_comments(site):
    base, _ = site
    out = run_script("webpage-reader", "read_page.py", f"{base}/article.html", "--json")
    md = out["markdown"]
    assert out["title"] == "城市骑行指南" and out["author"] == "王小明" and out["published"].startswith("2024-05-01")
    assert md.startswith("# 城市骑行指南") and "## 装备" in md and "- 头盔：必须佩戴。" in md
    assert f"[安全手册]({base}/guide/safety)" in md  # links made absolute
    for noise in ("首页", "登录注册", "限时优惠", "热门文章", "网友评论", "evil.example", "版权所有", "tracker"):
        assert noise not in md


def test_reader_decodes_a_gbk_page_and_saves_a_note(site, tmp_path):
    base, _ = site
    out = run_script("webpage-reader", "read_page.py", f"{base}/blog_gbk.html", "--out", tmp_path / "n.md", "--json")
    assert "绿茶适合用八十度左右的水冲泡" in out["markdown"] and "关于我们" not in out["markdown"]
    assert (tmp_path / "n.md").read_text(encoding="utf-8").startswith(f"来源 / Source: {base}/blog_gbk.html")


def test_reader_keeps_every_paragraph_when_each_sits_in_its_own_wrapper(site):
    base, _ = site
    md = run_script("webpage-reader", "read_page.py", f"{base}/wrapped.html", "--json")["markdown"]
    assert md.startswith("# 深度：城市更新的十年")
    assert all(s in md for s in ("过去十年", "资金从哪里来", "长期的运营机制"))
    assert not any(s in md for s in ("相关阅读", "联系我们", "国际"))


def test_scrape_follows_pagination_and_captures_every_row(site, tmp_path):
    base, _ = site
    out = run_script("web-table-scrape", "scrape.py", f"{base}/rank1.html", "--out", tmp_path / "r.csv", "--delay",
                     "0", "--json")
    assert [p["rows"] for p in out["pages"]] == [2, 2, 2] and out["rows"] == 6
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "排名,名称,价格" and lines[1:] == [f"{i},商品{i},¥{(i + 1) // 2 * 10 + (0 if i % 2 else 5)}"
                                                      for i in range(1, 7)]


def test_scrape_repeated_items_with_fields_and_attributes(site, tmp_path):
    base, _ = site
    out = run_script("web-table-scrape", "scrape.py", f"{base}/rank1.html", "--item", "li.product", "--field",
                     "名称=a.title", "--field", "价格=.price", "--field", "链接=a@href", "--out", tmp_path / "i.csv",
                     "--delay", "0", "--json")
    assert out["rows"] == 3 and out["sample"][0] == {"名称": "物品1", "价格": "1.99", "链接": f"{base}/p/1"}


def test_scrape_obeys_robots_txt(site, tmp_path):
    base, root = site
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /rank\n")
    proc = run_failing("web-table-scrape", "scrape.py", f"{base}/rank1.html", "--out", tmp_path / "x.csv")
    assert proc.returncode == 4 and "robots.txt" in proc.stderr and not (tmp_path / "x.csv").exists()


def test_price_compare_lists_each_shops_price_cheapest_first(site, tmp_path):
    base, _ = site
    urls = [f"{base}/{p}.html" for p in ("shop_jsonld", "shop_meta", "shop_text", "missing")]
    out = run_script("price-compare", "prices.py", *urls, "--delay", "0", "--budget", "1250", "--out",
                     tmp_path / "c.csv", "--json")
    rows = out["rows"]
    assert [(r["url"].rsplit("/", 1)[-1], r.get("price")) for r in rows] == [
        ("shop_meta.html", 1199.0), ("shop_text.html", 1249.5), ("shop_jsonld.html", 1299.0), ("missing.html", None)]
    assert [r.get("found_by") for r in rows[:3]] == ["meta", "price-element", "json-ld"]
    assert rows[2]["rating"] == 4.7 and rows[2]["within_budget"] is False and "404" in rows[3]["error"]
    assert out["cheapest"]["price"] == 1199.0 and (tmp_path / "c.csv").exists()


def test_rss_second_run_reports_only_new_items(site, tmp_path):
    base, root = site
    shutil.copy(root / "feed_v1.xml", root / "feed.xml")
    state = tmp_path / "state.json"
    first = run_script("rss-reader", "feeds.py", f"{base}/feed.xml", "--state", state, "--json")["feeds"][0]
    assert first["first_check"] and [i["title"] for i in first["new"]] == ["第2篇", "第1篇"]
    assert first["new"][0]["summary"] == "第 2 篇的摘要"  # HTML stripped
    shutil.copy(root / "feed_v2.xml", root / "feed.xml")
    second = run_script("rss-reader", "feeds.py", f"{base}/feed.xml", "--state", state, "--json")["feeds"][0]
    assert not second["first_check"] and [i["title"] for i in second["new"]] == ["第4篇", "第3篇"]
    third = run_script("rss-reader", "feeds.py", f"{base}/feed.xml", "--state", state, "--json")["feeds"][0]
    assert third["new_count"] == 0


def test_rss_reads_atom_and_finds_a_sites_advertised_feed(site, tmp_path):
    base, root = site
    (root / "home.html").write_text('<html><head><link rel="alternate" type="application/atom+xml" '
                                    'href="/atom.xml"></head><body>blog</body></html>', encoding="utf-8")
    out = run_script("rss-reader", "feeds.py", f"{base}/home.html", "--state", tmp_path / "s.json", "--json")
    feed = out["feeds"][0]
    assert feed["feed"] == f"{base}/atom.xml" and feed["title"] == "Atom blog"
    assert feed["new"][0] == {"id": "tag:example.org,2024:1", "title": "Hello Atom", "link": f"{base}/posts/hello",
                              "date": "2024-04-01T10:00:00+00:00", "summary": "First post"}


def test_paper_search_parses_a_saved_arxiv_response_with_bibtex(site, tmp_path):
    base, _ = site
    out = run_script("paper-search", "papers.py", "arxiv", "graph networks", "--base-url", f"{base}/arxiv.xml",
                     "--bib", tmp_path / "refs.bib", "--json")
    first, second = out["papers"]
    assert first["title"] == "Sparse Graph Networks for Molecules" and first["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert (first["year"], first["doi"], first["arxiv_id"]) == ("2021", "10.1000/xyz123", "2101.00001")
    assert first["pdf"] == "http://arxiv.org/pdf/2101.00001v2" and first["abstract"] == "We study sparse message passing."
    assert first["bibtex"].startswith("@misc{lovelace2021sparse,") and "eprint = {2101.00001}" in first["bibtex"]
    assert second["bibtex"].startswith("@misc{nunez2022diffusion,")  # accents folded in the key
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8").count("@misc{") == 2


def test_paper_search_reads_crossref_with_citation_counts(site):
    base, _ = site
    paper = run_script("paper-search", "papers.py", "crossref", "carbon pricing", "--base-url", f"{base}/crossref.json",
                       "--json")["papers"][0]
    assert (paper["venue"], paper["citations"], paper["year"]) == ("Energy Policy", 42, "2023")
    assert paper["bibtex"].startswith("@article{zhang2023carbon,") and "journal = {Energy Policy}" in paper["bibtex"]


def test_page_monitor_detects_a_change_once(site, tmp_path):
    base, root = site
    page = root / "item.html"
    page.write_text('<html><body><span id="stock">缺货</span><p class="clock">更新于 10:00</p></body></html>',
                    encoding="utf-8")
    args = [f"{base}/item.html", "--selector", "#stock", "--state-dir", tmp_path / "watch", "--json"]
    first = run_script("page-change-monitor", "watch.py", *args)
    assert first["first"] and not first["changed"] and first["current"] == ["缺货"]
    page.write_text(page.read_text(encoding="utf-8").replace("10:00", "11:00"), encoding="utf-8")
    assert run_script("page-change-monitor", "watch.py", *args)["changed"] is False  # outside the selector
    page.write_text(page.read_text(encoding="utf-8").replace("缺货", "有货"), encoding="utf-8")
    changed = run_script("page-change-monitor", "watch.py", *args)
    assert changed["changed"] and (changed["removed"], changed["added"]) == (["缺货"], ["有货"])
    assert run_script("page-change-monitor", "watch.py", *args)["changed"] is False  # reported only once
    listing = run_script("page-change-monitor", "watch.py", "--list", "--state-dir", tmp_path / "watch", "--json")
    assert [w["url"] for w in listing["watching"]] == [f"{base}/item.html"]


def test_bookmarks_are_deduplicated_into_a_valid_netscape_file(tmp_path):
    (tmp_path / "assign.json").write_text('{"example.org": "生活 Life"}', encoding="utf-8")
    out = run_script("bookmark-organizer", "bookmarks.py", "organize", FIXTURES / "bookmarks.html", "--out",
                     tmp_path / "clean.html", "--assign", tmp_path / "assign.json", "--json")
    assert (out["links"], out["unique"], out["duplicates_removed"]) == (6, 4, 2)
    text = (tmp_path / "clean.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>") and text.count("<DL><p>") == text.count("</DL><p>")
    again = run_script("bookmark-organizer", "bookmarks.py", "scan", tmp_path / "clean.html", "--json")
    assert again["links"] == again["unique"] == 4 and again["duplicates"] == []
    assert again["folders"] == {"开发 Dev": 1, "视频 Video": 1, "生活 Life": 1, "购物 Shopping": 1}


def test_video_outline_has_timestamps_in_order_without_repeats():
    out = run_script("online-video-summary", "subtitles.py", "outline", FIXTURES / "talk.vtt", "--minutes", "3", "--json")
    segs = out["segments"]
    assert [s["start"] for s in segs] == ["00:01", "03:10", "1:02:00"]
    assert [s["start_s"] for s in segs] == sorted(s["start_s"] for s in segs)
    assert segs[0]["text"] == "大家好今天聊聊咖啡先说豆子的产地"  # the rolling caption repeat is dropped
    assert out["duration"] == "1:02:05"


def test_video_fetch_without_yt_dlp_says_how_to_install(tmp_path):
    try:
        import yt_dlp  # noqa: F401
    except ImportError:
        proc = run_failing("online-video-summary", "subtitles.py", "fetch", "https://127.0.0.1:9/v", "--out-dir", tmp_path)
        assert proc.returncode == 3 and "pip install yt-dlp" in proc.stderr
    else:
        pytest.skip("yt-dlp is installed here")


def test_news_digest_lists_each_headline_with_its_link_once(tmp_path):
    items = [
        {"title": "央行宣布降准0.5个百分点", "url": "https://news.a.example/1?utm_source=wx", "source": "A网",
         "date": "2026-06-01T08:00:00+08:00", "summary": "释放长期资金约1万亿元", "topic": "财经"},
        {"title": "央行宣布降准0.5个百分点！", "url": "https://b.example/n/9", "source": "B报",
         "date": "2026-06-01T09:00:00+08:00", "summary": "央行决定下调存款准备金率0.5个百分点，释放资金约1万亿元", "topic": "财经"},
        {"title": "New open-source model tops benchmark", "url": "https://tech.c.example/x", "source": "C Tech",
         "summary": "A small model beats larger ones", "topic": "科技"},
    ]
    (tmp_path / "items.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    out = run_script("news-digest", "digest.py", tmp_path / "items.json", "--out", tmp_path / "d.md", "--json")
    md = (tmp_path / "d.md").read_text(encoding="utf-8")
    assert out["stories"] == 2 and md.count("降准") == 1  # the same story from two sites is merged
    assert "[A网、B报](https://news.a.example/1)" in md  # tracking parameter removed, both sources kept
    assert "**New open-source model tops benchmark**" in md and "(https://tech.c.example/x)" in md
    assert md.index("## 财经") < md.index("## 科技")


def test_research_report_cites_three_fixture_pages(site, tmp_path):
    base, _ = site
    sources = []
    for i, page in enumerate(("article.html", "blog_gbk.html", "shop_jsonld.html"), 1):
        read = run_script("webpage-reader", "read_page.py", f"{base}/{page}", "--json")
        sources.append({"id": i, "url": read["url"], "title": read["title"], "published": read["published"][:10]})
    (tmp_path / "sources.json").write_text(json.dumps(sources, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "report.md"
    report.write_text("# 报告\n\n骑行要戴头盔[1]。绿茶水温约八十度[2]，耳机售价 1299 元[3]。\n\n## 参考资料\n",
                      encoding="utf-8")
    ok = run_script("web-research", "sources.py", "check", report, "--sources", tmp_path / "sources.json", "--json")
    assert ok["ok"] and {c["url"] for c in ok["cited"]} == {f"{base}/{p}" for p in
                                                            ("article.html", "blog_gbk.html", "shop_jsonld.html")}
    refs = run_script("web-research", "sources.py", "refs", "--sources", tmp_path / "sources.json", "--json")
    assert refs["references"][0].startswith("[1] 城市骑行指南[EB/OL]. (2024-05-01)")
    report.write_text("# 报告\n\n骑行要戴头盔[1][4]。\n\n2023年全国自行车保有量约4亿辆，比上年增长百分之十左右，电动自行车占比最大。\n",
                      encoding="utf-8")
    bad = run_failing("web-research", "sources.py", "check", report, "--sources", tmp_path / "sources.json")
    problems = json.loads(bad.stdout)["problems"]
    assert bad.returncode == 1 and any("[4]" in p for p in problems) and any("no citation" in p for p in problems)


def _turn(live, cid: str, content: str) -> list[tuple[str, dict]]:
    """One user message through the real app; script approvals are granted with 'always allow'."""
    events = []
    with live.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": content}) as r:
        for name, data in iter_sse(r):
            events.append((name, data))
            if name == "approval":
                c.post(f"/api/approvals/{data['id']}", json={"decision": "allow_always"})
            if name in ("done", "error"):
                return events
    return events


@pytest.mark.slow  # starts the app and loads litellm (about 4 s alone, more on a busy machine)
def test_page_monitor_through_the_agent_loop_notifies_once(live, llm, site):
    base, root = site
    page = root / "stock.html"
    page.write_text('<html><body><span id="stock">缺货</span></body></html>', encoding="utf-8")
    check = {"skill": "page-change-monitor", "script": "watch.py",
             "args": [f"{base}/stock.html", "--selector", "#stock", "--state-dir", "watch", "--json"]}
    llm.add(tool_call("load_skill", {"name": "page-change-monitor"}, id="l1"),
            tool_call("run_skill_script", check, id="w1"), text("已记录基线：缺货。"),
            tool_call("run_skill_script", check, id="w2"), text("还没变化。"),
            tool_call("run_skill_script", check, id="w3"),
            tool_call("notify", {"title": "到货提醒", "body": f"缺货 → 有货 {base}/stock.html"}, id="n1"),
            text("已到货，已提醒你。"))
    cid = live.new_conversation()
    turns = [_turn(live, cid, f"帮我盯着 {base}/stock.html 有货提醒我")]
    turns.append(_turn(live, cid, "再查一下"))
    page.write_text(page.read_text(encoding="utf-8").replace("缺货", "有货"), encoding="utf-8")
    turns.append(_turn(live, cid, "现在呢？"))
    outputs = [[d["output"] for n, d in events if n == "tool_result"] for events in turns]
    assert "# Skill: page-change-monitor" in outputs[0][0] and '"first": true' in outputs[0][1]
    assert '"changed": false' in outputs[1][0] and '"changed": true' in outputs[2][0]
    notified = [d for events in turns for n, d in events if n == "tool_call" and d["name"] == "notify"]
    assert len(notified) == 1 and all(n != "error" for events in turns for n, _ in events)
    assert (live.settings.workspace / "watch").is_dir()  # state kept in the workspace, not the skill folder
