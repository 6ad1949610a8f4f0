"""The documents-group skills: each catalogue 'offline test' run against the skill's own script on generated fixtures."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script, skill_text
from tests.skills_library.pdfmaker import make_pdf

DOC_SKILLS = ["docx-writer", "docx-template-fill", "doc-reader", "doc-compare", "docx-format-fixer", "pdf-merge-split",
              "pdf-table-extract", "pdf-secure", "pdf-compress", "pdf-image-convert", "pptx-builder",
              "pptx-speaker-notes", "xlsx-builder", "markdown-convert", "report-pdf"]


@pytest.mark.parametrize("name", DOC_SKILLS)
def test_documents_skill_body_names_its_script_and_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "documents"
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert any(f'script="{s}"' in body for s in scripts), "body must tell the model how to run its script"
    assert "中文" in body and "English" in body


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_docx_writer_output_has_headings_toc_field_and_table_cells(tmp_path):
    from docx import Document

    spec = write_json(tmp_path / "spec.json", {
        "title": "季度报告", "toc": True, "header": "内部资料", "page_numbers": True,
        "blocks": [{"type": "heading", "text": "一、概述", "level": 1}, {"type": "paragraph", "text": "收入 **增长**。"},
                   {"type": "numbered", "items": ["第一步", "第二步"]},
                   {"type": "heading", "text": "1.1 数据", "level": 2},
                   {"type": "table", "rows": [["地区", "收入"], ["华东", 120]]}]})
    out = run_script("docx-writer", "build_docx.py", spec, tmp_path / "r.docx")
    doc = Document(out["output"])
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "一、概述"), ("Heading 2", "1.1 数据")]
    assert 'TOC \\o "1-3"' in doc.element.xml
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [["地区", "收入"], ["华东", "120"]]
    assert "PAGE" in doc.sections[0].footer._element.xml and doc.sections[0].header.paragraphs[0].text == "内部资料"
    run_script("docx-writer", "build_docx.py", spec, tmp_path / "r.docx", ok=False)  # no silent overwrite


def test_template_fill_makes_one_docx_per_spreadsheet_row(tmp_path):
    from docx import Document
    from openpyxl import Workbook

    tpl = Document()
    p = tpl.add_paragraph("兹聘请 ")
    p.add_run("{{")  # a placeholder split over runs, as Word often stores it
    p.add_run("姓名}}")
    p.add_run(" 担任 {{职位}}，入职日期 {{日期}}。")
    tpl.add_table(rows=1, cols=1).cell(0, 0).text = "签名：{{姓名}}"
    tpl.save(tmp_path / "offer.docx")
    wb = Workbook()
    wb.active.append(["姓名", "职位", "日期"])
    from datetime import datetime

    for row in (["张三", "工程师", datetime(2025, 3, 1)], ["李四", "设计师", datetime(2025, 3, 2)], ["王五", "经理", datetime(2025, 3, 3)]):
        wb.active.append(row)
    wb.save(tmp_path / "people.xlsx")
    fields = run_script("docx-template-fill", "fill.py", "fields", tmp_path / "offer.docx", "--data", tmp_path / "people.xlsx")
    assert fields["fields"] == ["姓名", "职位", "日期"] and fields["unmatched_fields"] == []
    out = run_script("docx-template-fill", "fill.py", "fill", tmp_path / "offer.docx", tmp_path / "people.xlsx",
                     tmp_path / "out", "--name", "{{姓名}}-录用通知.docx")
    assert out["count"] == 3 and out["fields_without_data"] == []
    for name, job in (("张三", "工程师"), ("李四", "设计师"), ("王五", "经理")):
        doc = Document(tmp_path / "out" / f"{name}-录用通知.docx")
        assert doc.paragraphs[0].text.startswith(f"兹聘请 {name} 担任 {job}，入职日期 2025-03-0")
        assert doc.tables[0].cell(0, 0).text == f"签名：{name}"


def test_template_with_jinja_blocks_needs_docxtpl_and_says_so(tmp_path):
    import importlib.util

    from docx import Document

    if importlib.util.find_spec("docxtpl"):
        pytest.skip("docxtpl is installed here")
    tpl = Document()
    tpl.add_paragraph("{% for item in items %}{{ item }}{% endfor %}")
    tpl.save(tmp_path / "t.docx")
    write_json(tmp_path / "d.json", [{"items": "x"}])
    out = run_script("docx-template-fill", "fill.py", "fill", tmp_path / "t.docx", tmp_path / "d.json", tmp_path / "o", ok=False)
    assert "docxtpl" in out["error"] and not (tmp_path / "o").exists()


def planted_fixtures(tmp: Path) -> dict[str, Path]:
    """One document per format, each containing the sentence 'The falcon lands at noon'."""
    from docx import Document
    from openpyxl import Workbook
    from pptx import Presentation

    s = "The falcon lands at noon"
    files = {"pdf": make_pdf(tmp / "a.pdf", [[(72, 700, "Cover page")], [(72, 700, s)]])}
    d = Document()
    d.add_heading("第一章", 1)
    d.add_paragraph(s)
    d.save(files.setdefault("docx", tmp / "a.docx"))
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Plan"
    slide.placeholders[1].text = s
    prs.save(files.setdefault("pptx", tmp / "a.pptx"))
    wb = Workbook()
    wb.active.append(["note"])
    wb.active.append([s])
    wb.save(files.setdefault("xlsx", tmp / "a.xlsx"))
    with zipfile.ZipFile(files.setdefault("epub", tmp / "a.epub"), "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("OEBPS/content.opf", '<package><manifest><item id="c1" href="c1.xhtml"/></manifest>'
                                        '<spine><itemref idref="c1"/></spine></package>')
        z.writestr("OEBPS/c1.xhtml", f"<html><body><h1>Chapter 1</h1><p>{s}.</p></body></html>")
    files["html"] = tmp / "a.html"
    files["html"].write_text(f"<html><head><script>var x=1</script></head><body><h2>News</h2><p>{s}</p></body></html>")
    return files


def test_doc_reader_finds_the_planted_sentence_in_every_format(tmp_path):
    for kind, path in planted_fixtures(tmp_path).items():
        out = run_script("doc-reader", "extract.py", path, "--find", "falcon")
        assert "The falcon lands at noon" in out["text"], kind
        assert out["hits"], kind
        assert "var x" not in out["text"]
    pdf = run_script("doc-reader", "extract.py", tmp_path / "a.pdf", "--find", "falcon")
    assert pdf["hits"][0]["section"] == "Page 2"


def test_doc_compare_reports_exactly_the_three_planted_edits(tmp_path):
    from docx import Document

    old = ["第一条 甲方应于每月5日前支付租金。", "第二条 租期为一年。", "第三条 押金为两个月租金。",
           "第四条 违约金为月租金的20%。", "第五条 本合同一式两份。"]
    new = ["第一条 甲方应于每月10日前支付租金。", "第二条 租期为一年。", "第四条 违约金为月租金的20%。",
           "第四条之一 乙方可提前30天书面通知解约。", "第五条 本合同一式两份。"]
    for name, paras in (("v1.docx", old), ("v2.docx", new)):
        d = Document()
        for t in paras:
            d.add_paragraph(t)
        d.save(tmp_path / name)
    out = run_script("doc-compare", "compare_docs.py", tmp_path / "v1.docx", tmp_path / "v2.docx",
                     "--redline", tmp_path / "diff.docx")
    assert out["counts"] == {"inserted": 1, "deleted": 1, "changed": 1}
    by_kind = {c["kind"]: c for c in out["changes"]}
    assert "[-5-]{+10+}" in by_kind["changed"]["detail"]
    assert by_kind["deleted"]["old"].startswith("第三条") and by_kind["inserted"]["new"].startswith("第四条之一")
    struck = [r.text for p in Document(tmp_path / "diff.docx").paragraphs for r in p.runs if r.font.strike]
    assert struck == ["5", "第三条 押金为两个月租金。"]
    (tmp_path / "v3.txt").write_text("\n".join(new), encoding="utf-8")
    assert run_script("doc-compare", "compare_docs.py", tmp_path / "v2.docx", tmp_path / "v3.txt")["identical"] is True


def test_docx_format_fixer_unifies_every_body_run_and_sets_margins(tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = Document()
    d.add_heading("标题", 1)
    p = d.add_paragraph()
    p.add_run("乱").font.size = Pt(9)
    r = p.add_run("Messy")
    r.font.name, r.font.size = "Arial", Pt(15)
    d.add_paragraph("第二段")
    d.add_table(rows=1, cols=1).cell(0, 0).text = "表格里"
    d.save(tmp_path / "messy.docx")
    run_script("docx-format-fixer", "format_docx.py", "apply", tmp_path / "messy.docx", tmp_path / "fixed.docx",
               "--font", "宋体", "--latin-font", "Times New Roman", "--size", "小四", "--heading-font", "黑体",
               "--margins", "2.54,2.54,3.17,3.17", "--page-numbers")
    fixed = Document(tmp_path / "fixed.docx")
    runs = [r for p in fixed.paragraphs if not p.style.name.startswith("Heading") for r in p.runs]
    runs += [r for p in fixed.tables[0].cell(0, 0).paragraphs for r in p.runs]
    assert len(runs) == 4
    for run in runs:
        assert run.font.size == Pt(12) and run.font.name == "Times New Roman"
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    section = fixed.sections[0]
    assert [round(x.cm, 2) for x in (section.top_margin, section.left_margin)] == [2.54, 3.17]
    run_script("docx-format-fixer", "format_docx.py", "apply", tmp_path / "messy.docx", tmp_path / "messy.docx", ok=False)


def page_texts(path: Path, password: str | None = None) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if password:
        reader.decrypt(password)
    return [p.extract_text() for p in reader.pages]


def test_pdf_merge_sums_pages_and_extract_keeps_the_right_ones(tmp_path):
    a = make_pdf(tmp_path / "a.pdf", [[(72, 700, f"Alpha {i}")] for i in range(1, 4)])
    b = make_pdf(tmp_path / "b.pdf", [[(72, 700, f"Beta {i}")] for i in range(1, 3)])
    merged = run_script("pdf-merge-split", "pdf_pages.py", "merge", tmp_path / "m.pdf", a, b)
    assert merged["pages"] == 5
    run_script("pdf-merge-split", "pdf_pages.py", "extract", tmp_path / "m.pdf", "2-3,5", tmp_path / "x.pdf")
    assert [t.strip() for t in page_texts(tmp_path / "x.pdf")] == ["Alpha 2", "Alpha 3", "Beta 2"]
    run_script("pdf-merge-split", "pdf_pages.py", "reorder", tmp_path / "m.pdf", "last-4,1", tmp_path / "r.pdf")
    assert [t.strip() for t in page_texts(tmp_path / "r.pdf")] == ["Beta 2", "Beta 1", "Alpha 1"]
    split = run_script("pdf-merge-split", "pdf_pages.py", "split", tmp_path / "m.pdf", tmp_path / "parts", "--every", "2")
    assert [f["pages"] for f in split["files"]] == [2, 2, 1]
    bad = run_script("pdf-merge-split", "pdf_pages.py", "extract", tmp_path / "m.pdf", "9", tmp_path / "y.pdf", ok=False)
    assert "outside 1-5" in bad["error"]


def test_pdf_table_extract_cells_equal_the_known_table(tmp_path):
    from openpyxl import load_workbook

    rows = [("Date", "Item", "Amount"), ("2025-01-03", "Coffee", "12.50"), ("2025-01-04", "Taxi fare", "1,230.00"),
            ("2025-01-05", "Account 0012", "(45.00)")]
    items = [(x, 700 - 20 * r, v) for r, row in enumerate(rows) for x, v in zip((72, 200, 380), row, strict=True)]
    pdf = make_pdf(tmp_path / "statement.pdf", [[(72, 780, "Statement for January")] + items])
    out = run_script("pdf-table-extract", "extract_tables.py", pdf, "--out", tmp_path / "t.xlsx", "--engine", "layout")
    assert len(out["tables"]) == 1
    ws = load_workbook(tmp_path / "t.xlsx").worksheets[0]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["Date", "Item", "Amount"], ["2025-01-03", "Coffee", 12.5], ["2025-01-04", "Taxi fare", 1230],
        ["2025-01-05", "Account 0012", -45]]


def test_pdf_secure_encrypts_and_watermarks_every_page(tmp_path):
    from pypdf import PdfReader

    src = make_pdf(tmp_path / "in.pdf", [[(72, 700, f"Page {i}")] for i in range(1, 4)])
    run_script("pdf-secure", "pdf_secure.py", "watermark", src, tmp_path / "w.pdf", "--text", "CONFIDENTIAL")
    assert all("CONFIDENTIAL" in t for t in page_texts(tmp_path / "w.pdf"))
    run_script("pdf-secure", "pdf_secure.py", "encrypt", tmp_path / "w.pdf", tmp_path / "e.pdf",
               "--user-password", "s3cret", "--no-print")
    locked = PdfReader(tmp_path / "e.pdf")
    assert locked.is_encrypted and not locked.decrypt("")
    with pytest.raises(Exception):  # noqa: B017 - pypdf refuses to read content without the password
        locked.pages[0].extract_text()
    wrong = run_script("pdf-secure", "pdf_secure.py", "decrypt", tmp_path / "e.pdf", tmp_path / "d.pdf",
                       "--password", "nope", ok=False)
    assert "password" in wrong["error"]
    run_script("pdf-secure", "pdf_secure.py", "decrypt", tmp_path / "e.pdf", tmp_path / "d.pdf", "--password", "s3cret")
    assert [t.split("\n")[0] for t in page_texts(tmp_path / "d.pdf")] == ["Page 1", "Page 2", "Page 3"]


def test_pdf_compress_makes_an_image_heavy_pdf_smaller_with_same_pages(tmp_path):
    import os

    from PIL import Image

    pages = [Image.frombytes("RGB", (1800, 1200), os.urandom(1800 * 1200 * 3)).resize((2400, 1600)) for _ in range(2)]
    pages[0].save(tmp_path / "scan.pdf", save_all=True, append_images=pages[1:], resolution=200, quality=95)
    out = run_script("pdf-compress", "compress_pdf.py", tmp_path / "scan.pdf", tmp_path / "small.pdf")
    assert out["bytes_after"] < out["bytes_before"] and out["pages_after"] == out["pages_before"] == 2
    assert (tmp_path / "scan.pdf").stat().st_size == out["bytes_before"]  # original untouched


def test_images_to_pdf_and_back_to_pngs_of_the_expected_size(tmp_path):
    from PIL import Image

    for i, color in enumerate(("red", "green", "blue"), 1):
        Image.new("RGB", (200, 100), color).save(tmp_path / f"scan{i}.png")
    made = run_script("pdf-image-convert", "pdf_images.py", "to-pdf", tmp_path / "out.pdf", tmp_path, "--page-size", "fit")
    assert made["pages"] == 3 and [Path(p).name for p in made["images"]] == ["scan1.png", "scan2.png", "scan3.png"]
    back = run_script("pdf-image-convert", "pdf_images.py", "to-images", tmp_path / "out.pdf", tmp_path / "png", "--dpi", "72")
    assert back["count"] == 3
    for f in back["files"]:
        with Image.open(f["file"]) as img:
            assert img.size == (200, 100)
    a4 = run_script("pdf-image-convert", "pdf_images.py", "to-pdf", tmp_path / "a4.pdf", tmp_path / "scan1.png")
    from pypdf import PdfReader

    box = PdfReader(a4["output"]).pages[0].mediabox
    assert abs(float(box.width) - 841.9) < 1 and abs(float(box.height) - 595.3) < 1  # landscape picture → landscape A4


def test_pptx_builder_slide_titles_match_the_outline_sections(tmp_path):
    from pptx import Presentation

    sections = ["背景", "目标", "方案", "进度", "风险"]
    outline = "# 项目汇报\n第三季度\n\n" + "".join(f"## {s}\n- 要点 {s}\n  - 细节\n> 讲稿 {s}\n\n" for s in sections)
    (tmp_path / "o.md").write_text(outline, encoding="utf-8")
    out = run_script("pptx-builder", "build_pptx.py", tmp_path / "o.md", tmp_path / "d.pptx")
    prs = Presentation(out["output"])
    assert [s.shapes.title.text for s in prs.slides][1:] == sections
    second = prs.slides[1]
    assert second.notes_slide.notes_text_frame.text == "讲稿 背景"
    assert [p.level for p in second.placeholders[1].text_frame.paragraphs] == [0, 1]
    chart_spec = write_json(tmp_path / "c.json", {"slides": [{"title": "销售", "chart": {
        "type": "bar", "categories": ["Q1", "Q2"], "series": {"2025": [1, 2]}}}]})
    run_script("pptx-builder", "build_pptx.py", chart_spec, tmp_path / "c.pptx")
    assert any(sh.has_chart for sh in Presentation(tmp_path / "c.pptx").slides[0].shapes)


def test_speaker_notes_fill_every_slide_and_leave_slide_text_unchanged(tmp_path):
    from pptx import Presentation

    prs = Presentation()
    for i in range(3):
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = f"Slide {i + 1}"
        s.placeholders[1].text = "\n".join(f"point {k}" for k in range(9 if i == 2 else 2))
    prs.save(tmp_path / "deck.pptx")
    before = run_script("pptx-speaker-notes", "notes.py", "dump", tmp_path / "deck.pptx")
    assert before["slides"][2]["warnings"] and not before["slides"][0]["warnings"]
    notes = write_json(tmp_path / "n.json", {str(i): f"讲解第{i}页" for i in (1, 2, 3)})
    result = run_script("pptx-speaker-notes", "notes.py", "apply", tmp_path / "deck.pptx", notes, tmp_path / "out.pptx")
    assert result["slides_without_notes"] == []
    after = run_script("pptx-speaker-notes", "notes.py", "dump", tmp_path / "out.pptx")
    assert all(s["notes"].strip() for s in after["slides"])
    assert [s["text"] for s in after["slides"]] == [s["text"] for s in before["slides"]]


def test_xlsx_builder_has_header_style_formulas_freeze_and_validation(tmp_path):
    from openpyxl import load_workbook

    spec = write_json(tmp_path / "s.json", {"sheets": [{
        "name": "报销", "columns": [{"header": "日期", "format": "yyyy-mm-dd"}, {"header": "类别", "choices": ["交通", "餐饮"]},
                                    {"header": "单价", "format": "#,##0.00"}, {"header": "数量"}, {"header": "金额"}],
        "rows": [["2025-01-02", "交通", 12.5, 2], ["2025-01-03", "餐饮", 30, 1]], "formulas": {"E": "=C{r}*D{r}"},
        "total_row": {"label": "合计", "sum": ["E"]},
        "conditional": [{"range": "E2:E3", "op": "greaterThan", "value": 20, "color": "FFC7CE"}]}]})
    run_script("xlsx-builder", "build_xlsx.py", spec, tmp_path / "r.xlsx")
    ws = load_workbook(tmp_path / "r.xlsx")["报销"]
    assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert ws["E2"].value == "=C2*D2" and ws["E4"].value == "=SUM(E2:E3)"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E3"
    assert ws.data_validations.dataValidation[0].formula1 == '"交通,餐饮"'
    assert ws["A2"].number_format == "yyyy-mm-dd" and ws["A2"].value.year == 2025
    assert len(ws.conditional_formatting) == 1


def test_markdown_to_docx_keeps_heading_levels_and_docx_to_md_keeps_the_table(tmp_path):
    from docx import Document

    md = ("# 项目说明\n\n这是 **重点**。\n\n## 安装\n\n1. 下载\n2. 运行\n\n### 表格\n\n"
          "| 名称 | 数量 |\n| --- | --- |\n| 苹果 | 3 |\n| 香蕉 | 5 |\n\n```\nprint('hi')\n```\n")
    (tmp_path / "n.md").write_text(md, encoding="utf-8")
    run_script("markdown-convert", "mdconvert.py", tmp_path / "n.md", tmp_path / "n.docx")
    doc = Document(tmp_path / "n.docx")
    assert [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")] == [
        ("Heading 1", "项目说明"), ("Heading 2", "安装"), ("Heading 3", "表格")]
    run_script("markdown-convert", "mdconvert.py", tmp_path / "n.docx", tmp_path / "back.md")
    back = (tmp_path / "back.md").read_text(encoding="utf-8")
    assert "| 名称 | 数量 |\n| --- | --- |\n| 苹果 | 3 |\n| 香蕉 | 5 |" in back
    assert "# 项目说明" in back and "### 表格" in back and "**重点**" in back and "```\nprint('hi')\n```" in back
    run_script("markdown-convert", "mdconvert.py", tmp_path / "n.md", tmp_path / "n.html")
    html = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert "<h2>安装</h2>" in html and "<td>苹果</td>" in html


def test_report_pdf_has_several_pages_and_chinese_section_titles(tmp_path):
    pytest.importorskip("reportlab")
    spec = write_json(tmp_path / "r.json", {"title": "2025年度经营报告", "subtitle": "财务部", "sections": [
        {"title": "一、总体情况", "paragraphs": ["收入增长 <b>12%</b>，成本 & 费用可控。"], "bullets": ["华东最快"],
         "table": {"header": ["地区", "收入"], "rows": [["华东", 12], ["华南", 8]]}},
        {"title": "二、Outlook 展望", "page_break": True, "paragraphs": ["Next year looks good."]}]})
    out = run_script("report-pdf", "build_report.py", spec, tmp_path / "r.pdf")
    texts = page_texts(tmp_path / "r.pdf")
    assert out["pages"] == len(texts) > 1
    body = "\n".join(texts)
    for title in ("2025年度经营报告", "一、总体情况", "二、Outlook 展望", "华东"):
        assert title in body
    assert "一、总体情况" in texts[1]  # the contents page lists the sections
