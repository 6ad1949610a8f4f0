"""Document tools: every created file is reopened with its own library and its content checked (Chinese included)."""

from __future__ import annotations

import pytest

from tests.support.scripted_llm import Reply, ToolCall, text, tool_call
from tests.tools.fixtures.calls import call, make_ctx
from xiaodazi.core.tools import ToolFailed, ToolRetry, Verdict
from xiaodazi.tools import doc_fonts, documents
from xiaodazi.tools.documents import extract_text
from xiaodazi.tools.journal import Journal
from xiaodazi.tools.policy import POLICY_FILE, CommandPolicy

CHART = {"type": "chart", "kind": "bar", "title": "季度销售额", "labels": ["一季度", "二季度", "三季度"],
         "series": [{"name": "华东", "values": [120, 150, 170]}, {"name": "华南", "values": [90, 110, 160]}]}
OUTLINE = {
    "title": "小搭子周报",
    "blocks": [
        {"type": "heading", "text": "本周进展", "level": 1},
        {"type": "paragraph", "text": "本周完成了文档工具，中文内容可以正常显示。"},
        {"type": "list", "items": ["支持 Word", "支持 Excel"]},
        {"type": "list", "items": ["先写测试", "再写代码"], "ordered": True},
        {"type": "heading", "text": "数据", "level": 2},
        {"type": "table", "header": ["城市", "销量"], "rows": [["上海", 120], ["深圳", 98.5]]},
        {"type": "image", "path": "pics/logo.png", "caption": "图一：标志"},
        CHART,
    ],
}


@pytest.fixture
def ctx(tmp_path):
    from PIL import Image

    context = make_ctx(tmp_path)
    (context.workspace / "pics").mkdir()
    Image.new("RGB", (320, 200), (30, 120, 200)).save(context.workspace / "pics" / "logo.png")
    return context


def _east_asian_fonts(element) -> set[str]:
    from docx.oxml.ns import qn

    return {f.get(qn("w:eastAsia")) for f in element.iter(qn("w:rFonts")) if f.get(qn("w:eastAsia"))}


def test_create_docx_writes_headings_lists_table_pictures_in_chinese(ctx):
    from docx import Document

    out = call(documents.create_docx, ctx, path="reports/周报.docx", outline=OUTLINE)
    assert out.artifacts == ["reports/周报.docx"]
    doc = Document(str(ctx.workspace / "reports" / "周报.docx"))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.text]
    assert ("Title", "小搭子周报") in styled
    assert ("Heading 1", "本周进展") in styled and ("Heading 2", "数据") in styled
    assert ("List Bullet", "支持 Word") in styled and ("List Number", "再写代码") in styled
    assert ("Caption", "图一：标志") in styled
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == [["城市", "销量"], ["上海", "120"],
                                                                            ["深圳", "98.5"]]
    assert len(doc.inline_shapes) == 2  # the workspace image and the rendered chart
    assert _east_asian_fonts(doc.element.body) == {"Microsoft YaHei"}


def test_create_xlsx_writes_sheets_formulas_and_a_chart(ctx):
    from openpyxl import load_workbook

    sheets = [
        {"name": "销售", "header": ["城市", "一月", "二月", "合计"],
         "rows": [["上海", 10, 20, "=SUM(B2:C2)"], ["北京", 5, 7, "=SUM(B3:C3)"]], "charts": [CHART]},
        {"name": "说明/备注", "rows": [["数据来源：内部系统"]]},
    ]
    call(documents.create_xlsx, ctx, path="data/销售", sheets=sheets)
    wb = load_workbook(ctx.workspace / "data" / "销售.xlsx")
    assert wb.sheetnames == ["销售", "说明_备注"]
    ws = wb["销售"]
    assert [c.value for c in ws[1]] == ["城市", "一月", "二月", "合计"]
    assert ws["A2"].value == "上海" and ws["B3"].value == 5 and ws["D2"].value == "=SUM(B2:C2)"
    assert ws["A2"].font.name == "Microsoft YaHei" and ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert len(ws._images) == 1
    assert "数据来源：内部系统" in extract_text(ctx.workspace / "data" / "销售.xlsx")


def test_create_pptx_lays_out_title_text_table_chart_and_notes(ctx):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    slides = [
        {"title": "年度汇报", "subtitle": "二〇二六年"},
        {"title": "亮点", "bullets": ["用户增长 30%", "发布桌面版"], "blocks": [CHART], "notes": "这里讲增长原因"},
        {"title": "明细", "blocks": [{"type": "table", "header": ["项目", "状态"], "rows": [["文档工具", "完成"]]}]},
    ]
    call(documents.create_pptx, ctx, path="slides/汇报.pptx", slides=slides)
    prs = Presentation(str(ctx.workspace / "slides" / "汇报.pptx"))
    assert len(prs.slides) == 3
    first, second, third = prs.slides
    assert first.shapes.title.text == "年度汇报" and first.placeholders[1].text == "二〇二六年"
    texts = [s.text_frame.text for s in second.shapes if s.has_text_frame]
    assert "亮点" in texts and any("用户增长 30%" in t and "发布桌面版" in t for t in texts)
    assert sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in second.shapes) == 1
    assert second.notes_slide.notes_text_frame.text == "这里讲增长原因"
    table = next(s.table for s in third.shapes if s.has_table)
    assert table.cell(1, 0).text == "文档工具"
    assert b'typeface="Microsoft YaHei"' in second.shapes[1]._element.xml.encode() or any(
        "Microsoft YaHei" in s._element.xml for s in second.shapes)
    text = extract_text(ctx.workspace / "slides" / "汇报.pptx")
    assert "## Slide 3" in text and "| 文档工具 | 完成 |" in text and "Notes: 这里讲增长原因" in text


def test_create_pdf_embeds_a_cjk_font_and_the_text_extracts_back(ctx):
    import pypdfium2 as pdfium

    out = call(documents.create_pdf, ctx, path="out/说明.pdf", outline=OUTLINE)
    pdf_path = ctx.workspace / "out" / "说明.pdf"
    text = extract_text(pdf_path)
    for expected in ("小搭子周报", "本周完成了文档工具，中文内容可以正常显示。", "支持 Word", "再写代码", "深圳", "98.5",
                     "图一：标志"):
        assert expected in text
    raw = pdf_path.read_bytes()
    assert b"/FontFile" in raw and b"NotoSansCJK" in raw  # embedded (subset), not just named
    doc = pdfium.PdfDocument(str(pdf_path))
    images = sum(1 for i in range(len(doc)) for obj in doc[i].get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
    doc.close()
    assert images == 2
    assert out.data["bytes"] < 400_000  # the font is subset, not the whole 20 MB collection


def test_create_pdf_without_any_cjk_font_says_how_to_get_one(ctx, monkeypatch):
    monkeypatch.setattr(doc_fonts, "CANDIDATES", ())
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("XIAODAZI_CJK_FONT", raising=False)
    doc_fonts.find_cjk_font.cache_clear()
    try:
        with pytest.raises(ToolFailed, match="fonts-noto-cjk"):
            call(documents.create_pdf, ctx, path="x.pdf", outline={"blocks": [{"type": "paragraph", "text": "你好"}]})
    finally:
        doc_fonts.find_cjk_font.cache_clear()
    assert not (ctx.workspace / "x.pdf").exists()


@pytest.mark.parametrize("path", ["../outside.docx", "/etc/evil.docx", "~/evil.docx"])
def test_document_paths_go_through_the_path_guard(ctx, path):
    with pytest.raises(ToolRetry):
        call(documents.create_docx, ctx, path=path, outline={"blocks": []})


def test_images_outside_the_workspace_are_refused(ctx):
    outline = {"blocks": [{"type": "image", "path": "../secret.png"}]}
    with pytest.raises(ToolRetry):
        call(documents.create_docx, ctx, path="a.docx", outline=outline)
    assert not (ctx.workspace / "a.docx").exists()


def test_wrong_extension_and_bad_chart_data_come_back_as_retries(ctx):
    with pytest.raises(ToolRetry, match=".xlsx"):
        call(documents.create_xlsx, ctx, path="data.csv", sheets=[{"name": "a"}])
    bad_chart = {**CHART, "series": [{"name": "x", "values": [1, 2]}]}
    with pytest.raises(ToolRetry, match="2 values for 3 labels"):
        call(documents.create_docx, ctx, path="c.docx", outline={"blocks": [bad_chart]})


def test_created_documents_are_journaled_and_undo_removes_or_restores_them(ctx):
    journal = Journal(ctx.data_dir / "journal")
    ctx.services["journal"], ctx.run_id = journal, "run-1"
    (ctx.workspace / "old.docx").write_bytes(b"previous bytes")
    call(documents.create_docx, ctx, path="old.docx", outline={"blocks": [{"type": "paragraph", "text": "新"}]})
    call(documents.create_pdf, ctx, path="new/deep/报告.pdf", outline={"blocks": [{"type": "paragraph", "text": "新"}]})
    assert (ctx.workspace / "new" / "deep" / "报告.pdf").exists()
    result = journal.undo("run-1")
    assert result["conflicts"] == []
    assert (ctx.workspace / "old.docx").read_bytes() == b"previous bytes"
    assert not (ctx.workspace / "new").exists()


def test_extract_text_reads_docx_in_reading_order_and_refuses_unknown_types(ctx, tmp_path):
    call(documents.create_docx, ctx, path="r.docx", outline=OUTLINE)
    text = extract_text(ctx.workspace / "r.docx")
    assert text.index("# 小搭子周报") < text.index("## 本周进展") < text.index("| 上海 | 120 |")
    assert "- 支持 Excel" in text
    with pytest.raises(ToolRetry):
        extract_text(tmp_path / "notes.txt")


def test_create_docx_through_the_agent_loop_writes_the_file_and_records_the_change(live, llm):
    from docx import Document

    outline = {"title": "会议纪要", "blocks": [{"type": "list", "items": ["确定发布日期", "分配任务"]}]}
    llm.add(tool_call("create_docx", {"path": "纪要/会议.docx", "outline": outline}, id="d1"), text("已生成。"))
    events = live.send(live.new_conversation(), "把会议要点写成 Word 文档")
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is True and result["artifacts"] == ["纪要/会议.docx"]
    doc = Document(str(live.settings.workspace / "纪要" / "会议.docx"))
    assert [p.text for p in doc.paragraphs] == ["会议纪要", "确定发布日期", "分配任务"]
    with live.client() as c:
        changes = c.get(f"/api/runs/{events[0][1]['run_id']}/changes").json()["items"]
    assert [(c["op"], c["path"].endswith(("纪要", "会议.docx"))) for c in changes] == [("make_dir", True), ("write", True)]


def test_document_gate_refuses_escapes_and_asks_before_overwriting_outside_the_workspace(tmp_path):
    granted = tmp_path / "granted"
    granted.mkdir()
    (granted / "plan.docx").write_bytes(b"the user's own file")
    ctx = make_ctx(tmp_path, allowed_dirs=[granted], services={"policy": CommandPolicy(tmp_path / POLICY_FILE)})
    gate = documents.create_docx.gate
    assert gate(ctx, {"path": "../../etc/x.docx"}).verdict == Verdict.deny
    assert gate(ctx, {"path": "new.docx"}).verdict == Verdict.allow
    assert gate(ctx, {"path": str(granted / "fresh.docx")}).verdict == Verdict.allow  # nothing to lose
    asked = gate(ctx, {"path": str(granted / "plan.docx")})
    assert asked.verdict == Verdict.ask and asked.detail.startswith("overwrite: ")
    asked.remember()
    assert gate(ctx, {"path": str(granted / "plan.docx")}).verdict == Verdict.allow
    assert documents.create_pdf.gate(ctx, {"path": str(granted / "plan.pdf")}).verdict == Verdict.allow


def test_each_numbered_list_in_a_docx_starts_again_at_one(ctx):
    from docx import Document
    from docx.oxml.ns import qn

    blocks = [{"type": "list", "ordered": True, "items": ["甲", "乙"]}, {"type": "paragraph", "text": "中间"},
              {"type": "list", "ordered": True, "items": ["丙", "丁"]}]
    call(documents.create_docx, ctx, path="lists.docx", outline={"blocks": blocks})
    doc = Document(str(ctx.workspace / "lists.docx"))
    num_of = {p.text: p._p.pPr.numPr.numId.val for p in doc.paragraphs if p.style.name == "List Number"}
    assert num_of["甲"] == num_of["乙"] != num_of["丙"] == num_of["丁"]
    numbering = doc.part.numbering_part.element
    for num_id in (num_of["甲"], num_of["丙"]):
        start = numbering.num_having_numId(num_id).find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert start.get(qn("w:val")) == "1"


def test_xlsx_pptx_and_pdf_through_the_agent_loop_land_on_disk(live, llm):
    from openpyxl import load_workbook

    sheet = {"name": "预算", "header": ["项目", "金额"], "rows": [["差旅", 3000]]}
    llm.add(Reply(tool_calls=[
        ToolCall("create_xlsx", {"path": "out/预算.xlsx", "sheets": [sheet]}, "x1"),
        ToolCall("create_pptx", {"path": "out/汇报.pptx", "slides": [{"title": "季度汇报", "bullets": ["增长"]}]}, "p1"),
        ToolCall("create_pdf", {"path": "out/说明.pdf", "outline": {"blocks": [{"type": "paragraph", "text": "说明文字"}]}},
                 "f1"),
    ]), text("三个文件都好了"))
    events = live.send(live.new_conversation(), "做一个 Excel 预算表、PPT 汇报和 PDF 说明")
    results = {d["id"]: d for n, d in events if n == "tool_result"}
    assert [r["ok"] for r in results.values()] == [True] * 3, [r["output"] for r in results.values()]
    out = live.settings.workspace / "out"
    assert load_workbook(out / "预算.xlsx")["预算"]["B2"].value == 3000
    assert "季度汇报" in extract_text(out / "汇报.pptx") and "说明文字" in extract_text(out / "说明.pdf")
