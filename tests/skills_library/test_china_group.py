"""The china-group skills: each catalogue 'offline test' run against the skill's own script, with known values."""

from __future__ import annotations

import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script
from tests.skills_library.part3b_helpers import assert_skill_shape

FIXTURES = Path(__file__).parent / "fixtures_part3b"
CHINA = ["salary-tax-cn", "fapiao-organizer", "pinyin-tool", "lunar-calendar", "cn-workday-calendar", "gongwen-writer",
         "wechat-article-layout", "rmb-uppercase", "simp-trad-convert", "id-number-check", "china-mirrors",
         "alipay-wechat-bills", "id-photo-layout"]
RULE_YEARS = {"salary-tax-cn": "2023", "cn-workday-calendar": "2026", "lunar-calendar": "1901", "gongwen-writer": "2012"}


@pytest.mark.parametrize("name", CHINA)
def test_china_skill_names_its_script_and_has_both_examples(name):
    body = assert_skill_shape(name, "china")
    if name in RULE_YEARS:  # rules that go stale say which year they follow
        assert RULE_YEARS[name] in body


# --- salary-tax-cn: the 7-bracket table applied by hand ---

def annual_tax(taxable: Decimal) -> Decimal:
    table = [(36000, "0.03", 0), (144000, "0.10", 2520), (300000, "0.20", 16920), (420000, "0.25", 31920),
             (660000, "0.30", 52920), (960000, "0.35", 85920), (10**12, "0.45", 181920)]
    rate, quick = next((Decimal(r), q) for top, r, q in table if taxable <= top)
    return max(Decimal(0), taxable * rate - quick)


def test_monthly_salary_20000_withholding_follows_the_cumulative_rate_table():
    out = run_script("salary-tax-cn", "tax.py", "monthly", "--salary", "20000")
    paid = Decimal(0)
    for row in out["months"]:
        cumulative = annual_tax(Decimal(15000 * row["month"]))
        assert Decimal(row["tax"]) == cumulative - paid, row
        paid = cumulative
    assert [r["tax"] for r in out["months"][:4]] == ["450.00", "450.00", "1080.00", "1500.00"]
    assert out["total_tax"] == "19080.00"  # 180,000 x 20 % - 16,920
    assert out["months"][0]["take_home"] == "19550.00" and "2023" in out["rules"]


def test_deductions_and_insurance_lower_the_tax_and_illegal_amounts_are_refused():
    out = run_script("salary-tax-cn", "tax.py", "monthly", "--salary", "20000", "--insurance", "2200",
                     "--children", "1", "--months", "3")
    assert out["special"] == "2000" and [r["tax"] for r in out["months"]] == ["324.00", "324.00", "324.00"]
    base = run_script("salary-tax-cn", "tax.py", "monthly", "--salary", "20000", "--si-base", "20000",
                      "--hf-rate", "0.07", "--months", "1")
    assert base["insurance"] == "3500.00"  # 8 % + 2 % + 0.5 % + 7 %
    bad = run_script("salary-tax-cn", "tax.py", "monthly", "--salary", "9000", "--elderly", "4000", ok=False)
    assert "3000" in bad["error"]


def test_bonus_options_and_annual_settlement():
    bonus = run_script("salary-tax-cn", "tax.py", "bonus", "--bonus", "36001", "--annual-taxable", "0")
    assert bonus["separate_total_tax"] == "3390.10"  # 36,001 x 10 % - 210: one yuan over the 3 % band
    assert bonus["combined_total_tax"] == "1080.10" and bonus["better"] == "combined"
    settle = run_script("salary-tax-cn", "tax.py", "annual", "--income", "240000", "--insurance", "20000",
                        "--children", "1", "--withheld", "10000")
    assert settle["taxable"] == "136000.00" and settle["tax_due"] == "11080.00" and settle["to_pay"] == "1080.00"


# --- rmb-uppercase ---

CASES = [("1234.56", "壹仟贰佰叁拾肆元伍角陆分"), ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"), ("100", "壹佰元整"),
         ("10.05", "壹拾元零伍分"), ("1001", "壹仟零壹元整"), ("100010", "壹拾万零壹拾元整"),
         ("100100000", "壹亿零壹拾万元整"), ("0.5", "伍角"), ("1,280,000.00", "壹佰贰拾捌万元整")]


def test_rmb_uppercase_and_back():
    upper = run_script("rmb-uppercase", "rmb.py", "upper", *(a for a, _ in CASES))
    assert [r["output"] for r in upper["results"]] == [w for _, w in CASES]
    back = run_script("rmb-uppercase", "rmb.py", "lower", *(w for _, w in CASES))
    assert [Decimal(r["output"]) for r in back["results"]] == [Decimal(a.replace(",", "")) for a, _ in CASES]


def test_everyday_chinese_numerals_both_ways():
    out = run_script("rmb-uppercase", "rmb.py", "num", "十五", "二〇二六", "两千零五", "一亿零三百万", "一万二千三百四十五点六七")
    assert [r["output"] for r in out["results"]] == ["15", "2026", "2005", "103000000", "12345.67"]
    assert run_script("rmb-uppercase", "rmb.py", "cn", "15", "1001")["results"][1]["output"] == "一千零一"
    assert "not a number" in run_script("rmb-uppercase", "rmb.py", "upper", "abc", ok=False)["error"]


# --- id-number-check ---

def test_id_numbers_credit_codes_and_cards_get_correct_verdicts():
    out = run_script("id-number-check", "idcheck.py", "11010519491231002X", "110105194912310021",
                     "110105194902300026", "91350100M000100Y43", "91350100M000100Y44", "4111111111111111",
                     "4111111111111112", "110105491231002", ok=False)
    verdicts = [r["valid"] for r in out["results"]]
    assert verdicts == [True, False, False, True, False, True, False, True] and out["invalid"] == 4
    first = out["results"][0]
    assert first["birth_date"] == "1949-12-31" and first["gender"].startswith("女") and first["province"] == "北京"
    assert "should be X" in out["results"][1]["reason"] and "does not exist" in out["results"][2]["reason"]
    assert out["results"][7]["upgraded_18"] == "11010519491231002X"


def test_id_check_reads_a_csv_column(tmp_path):
    sheet = tmp_path / "名单.csv"
    sheet.write_text("姓名,身份证号\n甲,11010519491231002X\n乙,11010519491231002x\n", encoding="utf-8-sig")
    out = run_script("id-number-check", "idcheck.py", "--csv", sheet, "--column", "身份证号")
    assert out["checked"] == 2 and out["invalid"] == 0


# --- lunar-calendar ---

def test_known_lunar_dates_and_festivals():
    out = run_script("lunar-calendar", "lunar.py", "to-lunar", "2024-02-10", "2026-02-17", "2025-01-28", "2023-03-22")
    texts = [(r["text"], r["festival"]) for r in out["results"]]
    assert texts == [("正月初一", "春节"), ("正月初一", "春节"), ("腊月廿九", "除夕"), ("闰二月初一", None)]
    assert out["results"][1]["zodiac"] == "马" and out["results"][1]["ganzhi_year"] == "丙午"
    assert run_script("lunar-calendar", "lunar.py", "to-solar", "2023", "2", "1", "--leap")["date"] == "2023-03-22"
    fests = {f["name"]: f["date"] for f in run_script("lunar-calendar", "lunar.py", "festivals", "2026")["festivals"]}
    assert fests["中秋节"] == "2026-09-25" and fests["端午节"] == "2026-06-19" and fests["除夕"] == "2027-02-05"


def test_solar_terms_match_published_dates():
    terms = {t["name"]: t["date"] for t in run_script("lunar-calendar", "lunar.py", "terms", "2025")["terms"]}
    assert terms["清明"] == "2025-04-04" and terms["立春"] == "2025-02-03" and terms["冬至"] == "2025-12-21"
    t2026 = {t["name"]: t["date"] for t in run_script("lunar-calendar", "lunar.py", "terms", "2026")["terms"]}
    assert t2026["立春"] == "2026-02-04" and t2026["夏至"] == "2026-06-21" and len(t2026) == 24
    assert "1901-2100" in run_script("lunar-calendar", "lunar.py", "terms", "2101", ok=False)["error"]


def test_lunar_table_agrees_with_an_independent_library_where_available():
    lunar_python = pytest.importorskip("lunar_python")
    import importlib.util

    spec = importlib.util.spec_from_file_location("lunar_skill", SKILLS / "lunar-calendar" / "scripts" / "lunar.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    day = date(1950, 1, 1)
    while day.year < 2100:  # every 173rd day over 150 years
        ours = mod.to_lunar(day)
        ref = lunar_python.Solar.fromYmd(day.year, day.month, day.day).getLunar()
        assert (ours["lunar_year"], ours["lunar_month"] * (-1 if ours["leap"] else 1), ours["lunar_day"]) == \
            (ref.getYear(), ref.getMonth(), ref.getDay()), day
        day += timedelta(173)


# --- cn-workday-calendar ---

def test_makeup_saturdays_are_workdays_and_holidays_are_not():
    out = run_script("cn-workday-calendar", "workdays.py", "is-workday", "2026-02-14", "2026-02-16", "2026-10-10",
                     "2026-10-08", "2025-01-26", "2026-05-02")
    assert [r["workday"] for r in out["results"]] == [True, False, True, True, True, False]
    assert out["results"][0]["kind"] == "makeup_workday" and out["results"][1]["reason"] == "春节放假"


def test_workdays_between_dates_and_n_workdays_later():
    feb = run_script("cn-workday-calendar", "workdays.py", "count", "2026-02-01", "2026-02-28")
    assert feb["workdays"] == 16 and feb["covered"] is True  # 20 weekdays - 6 off + 2 make-up Saturdays
    assert run_script("cn-workday-calendar", "workdays.py", "add", "2026-10-07", "5")["date"] == "2026-10-13"
    assert run_script("cn-workday-calendar", "workdays.py", "add", "2026-10-13", "-5")["date"] == "2026-09-30"
    later = run_script("cn-workday-calendar", "workdays.py", "count", "2027-03-01", "2027-03-31")
    assert later["covered"] is False and later["workdays"] == 23
    assert "gov.cn" in run_script("cn-workday-calendar", "workdays.py", "holidays", "2027", ok=False)["error"]


# --- pinyin-tool and simp-trad-convert (declared packages; skipped when absent) ---

def test_pinyin_tones_names_and_sorting(tmp_path):
    pytest.importorskip("pypinyin")
    assert run_script("pinyin-tool", "pinyin.py", "convert", "重庆")["joined"] == "chóng qìng"
    names = run_script("pinyin-tool", "pinyin.py", "name", "单雄信", "曾国藩")["names"]
    assert [n["passport"] for n in names] == ["SHAN XIONGXIN", "ZENG GUOFAN"]
    (tmp_path / "names.txt").write_text("张伟\n阿强\n王芳\n李娜\n陈晨\n", encoding="utf-8")
    out = run_script("pinyin-tool", "pinyin.py", "sort", "--file", tmp_path / "names.txt")
    assert out["sorted"] == ["阿强", "陈晨", "李娜", "王芳", "张伟"]


def test_simplified_to_taiwan_vocabulary_and_a_file_round_trip(tmp_path):
    pytest.importorskip("opencc")
    assert run_script("simp-trad-convert", "convert.py", "--profile", "s2twp", "--text", "软件")["text"] == "軟體"
    src = tmp_path / "段落.txt"
    src.write_text("我们今天去图书馆看书，然后一起吃晚饭。", encoding="utf-8")
    trad = Path(run_script("simp-trad-convert", "convert.py", "--profile", "s2t", src)["files"][0]["output"])
    assert trad.read_text(encoding="utf-8").startswith("我們今天去圖書館看書，然後一起")
    back = Path(run_script("simp-trad-convert", "convert.py", "--profile", "t2s", trad)["files"][0]["output"])
    assert back.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")


# --- fapiao-organizer: XML, OFD and PDF e-invoices ---

def invoice_xml(number: str, total: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><EInvoice><TaxSupervisionInfo><InvoiceNumber>{number}'
            '</InvoiceNumber><IssueTime>2026-11-03</IssueTime></TaxSupervisionInfo><SellerInformation><SellerName>'
            '北京某某科技有限公司</SellerName></SellerInformation><BuyerInformation><BuyerName>上海某某有限公司</BuyerName>'
            '</BuyerInformation><BasicInformation><TotalAmWithoutTax>100.00</TotalAmWithoutTax><TotalTaxAm>6.00'
            f'</TotalTaxAm><TotalTax-includedAmount>{total}</TotalTax-includedAmount></BasicInformation></EInvoice>')


def invoice_lines(number: str) -> list[str]:
    return [f"发票号码：{number}", "开票日期：2026年11月08日", "购买方信息 名称：上海某某有限公司",
            "销售方信息 名称：杭州某某餐饮有限公司", "合 计 ¥200.00 ¥12.00", "价税合计（大写）贰佰壹拾贰元整 （小写）¥212.00"]


def test_fapiao_reads_xml_ofd_and_pdf_totals_and_flags_the_duplicate(tmp_path):
    folder = tmp_path / "发票"
    folder.mkdir()
    (folder / "a.xml").write_text(invoice_xml("26110000000000000001", "106.00"), encoding="utf-8")
    (folder / "a_again.xml").write_text(invoice_xml("26110000000000000001", "106.00"), encoding="utf-8")
    content = "".join(f"<ofd:TextObject><ofd:TextCode>{t}</ofd:TextCode></ofd:TextObject>"
                      for t in invoice_lines("26110000000000000002"))
    with zipfile.ZipFile(folder / "b.ofd", "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        z.writestr("Doc_0/Pages/Page_0/Content.xml",
                   f"<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'><ofd:Content><ofd:Layer>{content}"
                   "</ofd:Layer></ofd:Content></ofd:Page>")
    make_cjk_pdf(folder / "c.pdf", invoice_lines("26110000000000000003"))
    out = run_script("fapiao-organizer", "fapiao.py", folder, "--xlsx", tmp_path / "汇总.xlsx")
    rows = {r["file"]: r for r in out["invoices"]}
    assert rows["a_again.xml"]["duplicate_of"] == "a.xml" and out["duplicates"] == ["a_again.xml"]
    assert rows["b.ofd"]["total"] == "212.00" and rows["b.ofd"]["seller"] == "杭州某某餐饮有限公司"
    assert rows["c.pdf"]["number"] == "26110000000000000003" and rows["c.pdf"]["tax"] == "12.00"
    assert out["total"] == "530.00" and out["problems"] == []  # 106 + 212 + 212, the duplicate not counted
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "汇总.xlsx").active
    assert sheet.max_row == 6 and sheet.cell(6, 8).value == 530.0
    plan = run_script("fapiao-organizer", "fapiao.py", folder, "--rename", "--apply")
    assert (folder / "2026-11-08_杭州某某餐饮有限公司_212.00_26110000000000000003.pdf").exists()
    assert len(plan["rename_plan"]) == 3 and (folder / "a_again.xml").exists()


def make_cjk_pdf(path: Path, lines: list[str]) -> None:
    """A text PDF whose CJK font maps glyph ids to Unicode (a ToUnicode CMap), as e-invoice PDFs do; no font file."""
    chars = sorted({c for line in lines for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    ops = "".join(f"BT /F1 11 Tf 40 {800 - 20 * n} Td <{''.join(f'{cid[c]:04X}' for c in line)}> Tj ET\n"
                  for n, line in enumerate(lines))
    bfchar = "".join(f"<{cid[c]:04X}> <{ord(c):04X}>\n" for c in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def "
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{bfchar}endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(ops.encode())} >>\nstream\n{ops}endstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H /DescendantFonts [6 0 R] "
        "/ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


# --- gongwen-writer: GB/T 9704-2012 layout ---

def test_gongwen_docx_has_the_standard_margins_fonts_and_sizes(tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    spec = {"org": "某某市人民政府办公室", "doc_number": "某政办发[2026]12号", "title": "关于做好元旦春节期间有关工作的通知",
            "to": "各区县人民政府", "body": ["为做好节日期间各项工作，现通知如下。", "一、高度重视", "（一）加强排查。", "请认真落实。"],
            "signature": "某某市人民政府办公室", "date": "2026年12月1日"}
    (tmp_path / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    run_script("gongwen-writer", "gongwen.py", tmp_path / "spec.json", "--out", tmp_path / "通知.docx")
    doc = Document(tmp_path / "通知.docx")
    sec = doc.sections[0]
    assert [round(x.mm) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [37, 35, 28, 26]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    runs = {p.text: p.runs[0] for p in doc.paragraphs if p.text}
    east = lambda r: r._element.rPr.rFonts.get(qn("w:eastAsia"))  # noqa: E731
    title = runs[spec["title"]]
    assert title.font.size == Pt(22) and east(title) == "方正小标宋简体"
    body = runs[spec["body"][0]]
    assert body.font.size == Pt(16) and east(body) == "仿宋_GB2312"
    assert east(runs["一、高度重视"]) == "黑体" and east(runs["（一）加强排查。"]) == "楷体_GB2312"
    assert "某政办发〔2026〕12号" in runs and "2026年12月1日" in runs
    assert "PAGE" in sec.footer._element.xml and doc.settings.odd_and_even_pages_header_footer


# --- wechat-article-layout ---

def test_wechat_html_has_inline_styles_only(tmp_path):
    md = tmp_path / "文章.md"
    md.write_text("# 标题\n\n正文有**重点**、*斜体*和`code`，见[官网](https://example.com)。\n\n> 引用\n\n- 甲\n- 乙\n\n"
                  "```\nx = '<b>'\n```\n\n![配图](https://img.example/a.png)\n", encoding="utf-8")
    out = run_script("wechat-article-layout", "wechat_html.py", md, "--theme", "blue")
    html = Path(out["out"]).read_text(encoding="utf-8")
    assert "<style" not in html and "<script" not in html and "class=" not in html
    for tag in ("h1", "p", "strong", "em", "code", "blockquote", "ul", "li", "pre", "img"):
        assert f"<{tag} style=" in html or f'<{tag} src=' in html, tag
    assert "&lt;b&gt;" in html and "#1e6bb8" in html
    assert out["external_links"] == ["https://example.com"] and "[1] https://example.com" in html


# --- china-mirrors ---

def test_mirrors_written_in_a_temp_home_and_restored(tmp_path):
    home = tmp_path / "home"
    (home).mkdir()
    (home / ".npmrc").write_text("registry=https://npm.internal.example/\n", encoding="utf-8")
    run_script("china-mirrors", "mirrors.py", "set", "pip", "npm", "--home", home, "--mirror", "tuna")
    pip_conf = next(home.rglob("pip.conf"), None) or next(home.rglob("pip.ini"))
    assert "index-url = https://pypi.tuna.tsinghua.edu.cn/simple" in pip_conf.read_text(encoding="utf-8")
    assert (home / ".npmrc").read_text(encoding="utf-8") == "registry=https://registry.npmmirror.com\n"
    run_script("china-mirrors", "mirrors.py", "restore", "pip", "npm", "--home", home)
    assert not pip_conf.exists()
    assert (home / ".npmrc").read_text(encoding="utf-8") == "registry=https://npm.internal.example/\n"


# --- alipay-wechat-bills ---

def test_alipay_and_wechat_exports_give_exact_category_totals_with_refunds_netted(tmp_path):
    out = run_script("alipay-wechat-bills", "bills.py", FIXTURES / "alipay_2026-11.csv", FIXTURES / "wechat_2026-11.csv",
                     "--xlsx", tmp_path / "账单.xlsx")
    cats = {c["name"]: c["amount"] for c in out["by_category"]}
    assert cats == {"餐饮美食": "63.50", "日用百货": "80.00", "转账红包": "66.00", "交通出行": "24.00"}
    assert out["spending"] == "233.50" and out["income"] == "500.00" and out["refunds_netted"] == "128.90"
    assert out["sources"] == ["alipay", "wechat"] and out["by_month"] == {"2026-11": "233.50"}
    assert out["top_merchants"][0] == {"name": "天猫超市", "amount": "40.00"} or out["top_merchants"][0]["name"] == "张三"


# --- id-photo-layout ---

def test_id_photo_one_inch_and_a_six_inch_sheet_with_eight_copies(tmp_path):
    pytest.importorskip("PIL")
    from PIL import Image, ImageDraw

    portrait = Image.new("RGB", (600, 800), (250, 250, 250))
    draw = ImageDraw.Draw(portrait)
    draw.ellipse((200, 150, 400, 400), fill=(230, 190, 160))
    draw.rectangle((150, 400, 450, 800), fill=(30, 30, 60))
    portrait.save(tmp_path / "me.jpg")
    out = run_script("id-photo-layout", "idphoto.py", tmp_path / "me.jpg", "--size", "一寸", "--background", "blue",
                     "--sheet", tmp_path / "sheet.jpg")
    photo = Image.open(out["out"])
    assert photo.size == (295, 413) and out["copies"] == 8 and Image.open(tmp_path / "sheet.jpg").size == (1800, 1200)
    corner, face = photo.getpixel((5, 5)), photo.getpixel((147, 150))
    assert abs(corner[2] - 219) < 12 and corner[0] < 90  # background now blue
    assert face[0] > 200  # the face kept its colour
