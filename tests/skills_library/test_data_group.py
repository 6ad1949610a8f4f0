"""The data skills: each catalogue "offline test" run against the skill's real script in a subprocess."""

from __future__ import annotations

import shutil
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import run_script
from tests.skills_library.fixtures_dataweb.checks import (
    check_body,
    check_documented_flags,
    check_shared_module,
    run_failing,
)

pd = pytest.importorskip("pandas")
openpyxl = pytest.importorskip("openpyxl")

DATA_SKILLS = ["spreadsheet-analysis", "chart-maker", "data-cleaner", "sheet-merge-split", "excel-formula-helper",
               "stats-test", "survey-analysis", "table-convert", "flowchart-diagram", "mind-map", "data-masking",
               "word-cloud"]
SALES = [("2024-01-05", "华东", "A", 100), ("2024-01-20", "华北", "B", 50.5), ("2024-02-03", "华东", "B", 70),
         ("2024-02-14", "华南", "A", 30), ("2024-03-01", "华北", "A", 80), ("2024-03-09", "华东", "A", 20)]


def sales_csv(path: Path, encoding: str = "gbk") -> Path:
    """A small sales table saved the way Chinese Excel saves CSV (GBK) unless told otherwise."""
    lines = ["日期,地区,产品,销售额"] + [",".join(map(str, r)) for r in SALES]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG header."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_table_helpers_exist_once_and_every_data_script_can_import_them():
    check_shared_module("tableio", "spreadsheet-analysis", min_users=9)


@pytest.mark.parametrize("name", DATA_SKILLS)
def test_data_skill_body_names_its_tools_steps_and_examples(name):
    check_documented_flags(check_body(name, "data", "tableio"))


def test_spreadsheet_totals_per_region_equal_pandas_on_a_gbk_csv(tmp_path):
    f = sales_csv(tmp_path / "sales.csv")
    out = run_script("spreadsheet-analysis", "analyze.py", "summarize", f, "--by", "地区", "--value", "销售额",
                     "--json", "--out", tmp_path / "r.xlsx")
    expected = pd.DataFrame(SALES, columns=["d", "地区", "p", "v"]).groupby("地区")["v"].sum().to_dict()
    assert {r["地区"]: r["销售额"] for r in out["table"]} == pytest.approx(expected)
    assert [r["地区"] for r in out["table"]] == ["华东", "华北", "华南"]  # largest first
    assert pd.read_excel(tmp_path / "r.xlsx").shape == (3, 2)


def test_spreadsheet_profile_pivot_and_monthly_change(tmp_path):
    f = sales_csv(tmp_path / "sales.csv", "utf-8")
    prof = run_script("spreadsheet-analysis", "analyze.py", "profile", f, "--json")
    money = next(c for c in prof["profile"] if c["column"] == "销售额")
    assert prof["rows"] == 6 and money["sum"] == pytest.approx(350.5)
    piv = run_script("spreadsheet-analysis", "analyze.py", "pivot", f, "--index", "地区", "--columns", "产品",
                     "--value", "销售额", "--json")["table"]
    assert piv[-1]["合计/Total"] == pytest.approx(350.5)
    chg = run_script("spreadsheet-analysis", "analyze.py", "change", f, "--date", "日期", "--value", "销售额",
                     "--json")["table"]
    assert [r["period"] for r in chg] == ["2024-01", "2024-02", "2024-03"]
    assert chg[1]["change"] == pytest.approx(100 - 150.5) and chg[2]["change_pct"] == pytest.approx(0.0)


def test_spreadsheet_unknown_column_is_a_clear_input_error(tmp_path):
    f = sales_csv(tmp_path / "sales.csv")
    proc = run_failing("spreadsheet-analysis", "analyze.py", "summarize", f, "--by", "区域", "--value", "销售额")
    assert proc.returncode == 2 and "区域" in proc.stderr


def test_chart_png_has_the_requested_size_and_one_bar_per_region(tmp_path):
    f = sales_csv(tmp_path / "sales.csv")
    out = run_script("chart-maker", "chart.py", "--file", f, "--kind", "bar", "--x", "地区", "--y", "销售额",
                     "--title", "各地区销售额", "--out", tmp_path / "c.png", "--width", "8", "--height", "5",
                     "--dpi", "100", "--json")
    assert png_size(tmp_path / "c.png") == (800, 500)
    assert out["bars"] == 3 and out["aggregated"] is True  # repeated regions are summed, not drawn twice


def test_chart_from_pasted_numbers_draws_stacked_series(tmp_path):
    data = '{"月份": ["1月", "2月", "3月", "4月"], "线上": [1, 2, 3, 4], "线下": [4, 3, 2, 1]}'
    out = run_script("chart-maker", "chart.py", "--data", data, "--kind", "stacked", "--x", "月份",
                     "--y", "线上,线下", "--out", tmp_path / "s.png", "--json")
    assert out["bars"] == 8 and (tmp_path / "s.png").stat().st_size > 1000


def test_cleaner_removes_duplicates_unifies_dates_and_logs_every_fix(tmp_path):
    dirty = tmp_path / "dirty.csv"
    dirty.write_text('姓名,日期,金额\n 张三 ,2024/3/5,"1,200"\n李四,2024年3月6日,¥300\n 张三 ,2024/3/5,"1,200"\n'
                     "王五,45359,80\n", encoding="utf-8")
    out = run_script("data-cleaner", "clean.py", dirty, "--out", tmp_path / "clean.csv", "--log",
                     tmp_path / "log.csv", "--json")
    clean = pd.read_csv(tmp_path / "clean.csv", encoding="utf-8-sig", dtype=str)
    assert clean["姓名"].tolist() == ["张三", "李四", "王五"]
    assert clean["日期"].tolist() == ["2024-03-05", "2024-03-06", "2024-03-08"]  # 45359 is an Excel serial
    assert clean["金额"].tolist() == ["1200", "300", "80"]
    log = pd.read_csv(tmp_path / "log.csv", encoding="utf-8-sig", dtype=str)
    assert out["changes"] == {"trim": 2, "date": 4, "number": 3, "dedupe": 1}
    assert len(log) == 10 and set(log["step"]) == {"trim", "date", "number", "dedupe"}
    assert dirty.read_text(encoding="utf-8").count("张三") == 2  # the original is untouched


def test_cleaner_fills_merged_excel_cells_down(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["部门", "姓名"])
    for name in ("甲", "乙", "丙"):
        ws.append(["销售部" if name == "甲" else None, name])
    ws.merge_cells("A2:A4")
    wb.save(tmp_path / "m.xlsx")
    run_script("data-cleaner", "clean.py", tmp_path / "m.xlsx", "--out", tmp_path / "o.xlsx", "--json")
    assert pd.read_excel(tmp_path / "o.xlsx")["部门"].tolist() == ["销售部"] * 3


def test_merge_three_files_and_split_by_department(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        pd.DataFrame({"部门": ["销售", "技术", "销售"][: i + 1], "金额": range(i + 1)}).to_csv(src / f"f{i}.csv", index=False)
    merged = run_script("sheet-merge-split", "merge_split.py", "merge", src, "--out", tmp_path / "all.xlsx", "--json")
    assert merged["rows"] == 1 + 2 + 3 == len(pd.read_excel(tmp_path / "all.xlsx"))
    split = run_script("sheet-merge-split", "merge_split.py", "split", tmp_path / "all.xlsx", "--by", "部门",
                       "--out-dir", tmp_path / "parts", "--json")
    files = sorted(p.name for p in (tmp_path / "parts").iterdir())
    assert files == ["all_技术.xlsx", "all_销售.xlsx"]
    assert sorted(g["rows"] for g in split["groups"]) == [2, 4]


def test_formula_helper_writes_a_lookup_and_names_its_ranges(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append(["编号", "数量", "单价"])
    for i in range(1, 6):
        ws.append([f"P{i}", i, None])
    prices = wb.create_sheet("价格表")
    prices.append(["编号", "价格"])
    wb.save(tmp_path / "book.xlsx")
    formula = '=XLOOKUP(A2,价格表!$A$2:$A$6,价格表!$B$2:$B$6,"未找到")'
    out = run_script("excel-formula-helper", "formula.py", "write", tmp_path / "book.xlsx", "--sheet", "订单",
                     "--cell", "C2", "--formula", formula, "--fill-to", "6", "--json")
    sheet = openpyxl.load_workbook(out["out"])["订单"]
    assert sheet["C2"].value == formula.replace("=XLOOKUP", "=_xlfn.XLOOKUP")
    assert sheet["C6"].value.startswith("=_xlfn.XLOOKUP(A6,价格表!$A$2:$A$6")  # relative ref moved, table fixed
    refs = [r["ref"] for r in out["explain"]["ranges"]]
    assert refs == ["A2", "价格表!$A$2:$A$6", "价格表!$B$2:$B$6"] and out["explain"]["functions"] == ["XLOOKUP"]
    assert openpyxl.load_workbook(tmp_path / "book.xlsx")["订单"]["C2"].value is None  # original kept


SLEEP_A = "0.7,-1.6,-0.2,-1.2,-0.1,3.4,3.7,0.8,0.0,2.0"
SLEEP_B = "1.9,0.8,1.1,0.1,-0.1,4.4,5.5,1.6,4.6,3.4"


@pytest.mark.parametrize(("extra", "t", "df", "p"), [
    ([], -1.860813, 17.776474, 0.07939414),  # R: t.test(extra ~ group, data = sleep)
    (["--paired"], -4.062128, 9, 0.002832890),  # R: the paired version
])
def test_t_tests_match_reference_values(extra, t, df, p):
    out = run_script("stats-test", "stats.py", "ttest", "--a", SLEEP_A, "--b", SLEEP_B, *extra, "--json")
    assert (out["statistic"], out["df"], out["p_value"]) == pytest.approx((t, df, p), rel=1e-5)


def test_regression_anova_correlation_and_chi_square_match_scipy(tmp_path):
    # reference numbers computed once with scipy 1.17 (linregress, f_oneway, pearsonr, spearmanr, chi2_contingency)
    ys = [2.1, 3.9, 6.2, 7.8, 10.1, 12.3, 13.8, 16.2]
    pd.DataFrame({"x": range(1, 9), "y": ys}).to_csv(tmp_path / "d.csv", index=False)
    reg = run_script("stats-test", "stats.py", "regress", "--file", tmp_path / "d.csv", "--y", "y", "--x", "x", "--json")
    slope = reg["coefficients"]["x"]
    assert (slope["coef"], slope["se"], slope["p_value"]) == pytest.approx(
        (2.0095238095238095, 0.03188461813746077, 1.0727817866639463e-09), rel=1e-6)
    assert reg["coefficients"]["intercept"]["coef"] == pytest.approx(0.007142857142858006, abs=1e-9)
    groups = pd.DataFrame({"v": [1, 2, 3.5, 2, 4, 5, 6, 7, 8.5], "g": list("aaabbbccc")})
    groups.to_csv(tmp_path / "g.csv", index=False)
    an = run_script("stats-test", "stats.py", "anova", "--file", tmp_path / "g.csv", "--value", "v", "--group", "g",
                    "--json")
    assert (an["statistic"], an["p_value"]) == pytest.approx((10.772727272727263, 0.010334843895133582), rel=1e-6)
    xs = ",".join(str(i) for i in range(1, 9))
    co = run_script("stats-test", "stats.py", "corr", "--x", xs, "--y", "3,1,4,1.5,5,9,2,6", "--json")
    assert (co["spearman"]["r"], co["spearman"]["p_value"]) == pytest.approx((0.523809523809524, 0.1827207505397148))
    ch = run_script("stats-test", "stats.py", "chisq", "--table", "10,20;30,25", "--json")
    assert (ch["statistic"], ch["p_value"]) == pytest.approx((3.505892255892255, 0.06115089757606777), rel=1e-9)
    assert ch["verdict"].startswith("not significant")


def test_survey_option_counts_and_percentages_are_exact(tmp_path):
    export = tmp_path / "wjx.csv"
    export.write_text(
        "序号,提交答卷时间,所用时间,1、您的性别：,2、常用平台：,3、满意度：,4、建议：\n"
        "1,2024/5/1 10:00,30秒,男,微信┋微博,满意,希望价格能再便宜一点，会员活动多一些\n"
        "2,2024/5/1 10:05,45秒,女,微信,非常满意,客服回复很快，整体体验非常好\n"
        "3,2024/5/1 11:00,60秒,女,抖音┋微信┋微博,一般,(跳过)\n"
        "4,2024/5/2 09:00,20秒,男,(跳过),不满意,物流太慢了，等了整整一个星期\n"
        "5,2024/5/2 09:30,25秒,女,微博,满意,包装可以更环保一些，减少塑料\n", encoding="gbk")
    out = run_script("survey-analysis", "survey.py", "options", export, "--json")
    qs = {q["question"]: q for q in out["questions"]}
    assert set(qs) == {"1、您的性别：", "2、常用平台：", "3、满意度："}  # metadata and the open question skipped
    gender = {o["option"]: (o["count"], o["percent"]) for o in qs["1、您的性别："]["options"]}
    assert gender == {"女": (3, 60.0), "男": (2, 40.0)}
    platform = qs["2、常用平台："]
    assert platform["type"] == "multiple" and platform["respondents"] == 4  # the skipped answer is not counted
    assert {o["option"]: (o["count"], o["percent"]) for o in platform["options"]} == {
        "微信": (3, 75.0), "微博": (3, 75.0), "抖音": (1, 25.0)}
    scale = run_script("survey-analysis", "survey.py", "scale", export, "--columns", "3、满意度：", "--json")
    assert scale["items"][0]["mean"] == pytest.approx((4 + 5 + 3 + 2 + 4) / 5)


def test_table_convert_round_trip_csv_json_csv_is_identical(tmp_path):
    original = 'id,name,amount,date\n00123,张三,1200.50,2024-03-05\n00456,"Li, Si",7,2024-03-06\n'
    (tmp_path / "t.csv").write_text(original, encoding="utf-8")
    run_script("table-convert", "convert.py", tmp_path / "t.csv", tmp_path / "t.json", "--json")
    run_script("table-convert", "convert.py", tmp_path / "t.json", tmp_path / "back.csv", "--out-encoding", "utf-8",
               "--json")
    assert (tmp_path / "back.csv").read_text(encoding="utf-8") == original


def test_table_convert_gbk_csv_to_excel_and_markdown(tmp_path):
    (tmp_path / "g.csv").write_bytes("工号,姓名,工资\n00123,王小明,8000\n".encode("gbk"))
    run_script("table-convert", "convert.py", tmp_path / "g.csv", tmp_path / "g.xlsx", "--json")
    row = [c.value for c in openpyxl.load_workbook(tmp_path / "g.xlsx").active[2]]
    assert row == ["00123", "王小明", 8000]  # leading zero kept as text, salary a real number
    run_script("table-convert", "convert.py", tmp_path / "g.csv", tmp_path / "g.md", "--json")
    assert "| 00123 | 王小明 | 8000 |" in (tmp_path / "g.md").read_text(encoding="utf-8")


def test_flowchart_from_five_steps_has_five_nodes_and_four_edges(tmp_path):
    steps = "开始;填写申请;经理审批?;财务付款;结束"
    run_script("flowchart-diagram", "diagram.py", "--steps", steps, "--out", tmp_path / "f.drawio", "--json")
    root = ET.parse(tmp_path / "f.drawio").getroot()
    cells = root.iter("mxCell")
    vertices, edges = [], []
    for c in cells:
        (vertices if c.get("vertex") == "1" else edges if c.get("edge") == "1" else []).append(c)
    assert [v.get("value") for v in vertices] == steps.split(";") and len(edges) == 4
    assert "rhombus" in vertices[2].get("style")  # a question mark makes a decision
    out = run_script("flowchart-diagram", "diagram.py", "--steps", steps, "--out", tmp_path / "f.dot", "--json")
    dot = (tmp_path / "f.dot").read_text(encoding="utf-8")
    assert out == {"out": str(tmp_path / "f.dot"), "nodes": 5, "edges": 4} and dot.count("->") == 4


def test_flowchart_rejects_edges_to_unknown_nodes(tmp_path):
    (tmp_path / "bad.json").write_text('{"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "zz"}]}')
    proc = run_failing("flowchart-diagram", "diagram.py", "--spec", tmp_path / "bad.json", "--out", tmp_path / "b.mmd")
    assert proc.returncode == 2 and "zz" in proc.stderr and not (tmp_path / "b.mmd").exists()


def test_mind_map_opml_keeps_the_outline_depth(tmp_path):
    outline = "# 学习Python\n## 基础\n- 变量\n- 控制流\n  - if\n  - for\n## 进阶\n1. 面向对象\n"
    (tmp_path / "o.md").write_text(outline, encoding="utf-8")
    out = run_script("mind-map", "mindmap.py", tmp_path / "o.md", "--out", tmp_path / "m.opml", "--json")
    body = ET.parse(tmp_path / "m.opml").getroot().find("body")

    def depth(el):
        return 1 + max((depth(c) for c in el.findall("outline")), default=0)

    centre = body.find("outline")
    assert centre.get("text") == "学习Python" and depth(centre) == 4 == out["depth"]
    assert [b.get("text") for b in centre.findall("outline")] == ["基础", "进阶"]
    run_script("mind-map", "mindmap.py", tmp_path / "o.md", "--out", tmp_path / "m.mm", "--json")
    assert ET.parse(tmp_path / "m.mm").getroot().find("node").get("TEXT") == "学习Python"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
def test_mind_map_png_is_rendered_when_graphviz_is_present(tmp_path):
    run_script("mind-map", "mindmap.py", "--text", "# 旅行\\n## 交通\\n## 住宿", "--out", tmp_path / "m.png", "--json")
    assert png_size(tmp_path / "m.png")[0] > 50


def test_masking_hides_every_phone_and_id_and_leaves_other_columns(tmp_path):
    src = tmp_path / "pii.csv"
    src.write_text("姓名,手机,身份证,备注,订单号,金额\n"
                   "张三,13812345678,110105199003071234,邮箱 zhang@example.com,20240305001122,100\n"
                   "李四,+86 139-1234-5678,11010519851231002X,无,20240305001123,200.50\n", encoding="utf-8")
    out = run_script("data-masking", "mask.py", src, "--out", tmp_path / "m.csv", "--json")
    masked = (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    for secret in ("13812345678", "1234-5678", "110105199003071234", "11010519851231002X", "zhang@", "张三", "李四"):
        assert secret not in masked
    rows = pd.read_csv(tmp_path / "m.csv", dtype=str, encoding="utf-8-sig")
    assert rows["订单号"].tolist() == ["20240305001122", "20240305001123"] and rows["金额"].tolist() == ["100", "200.50"]
    assert rows["手机"].tolist() == ["138****5678", "139****5678"] and rows["姓名"].tolist() == ["张*", "李*"]
    assert out["found"] == {"name": 2, "phone": 2, "idcard": 2, "email": 1}


def test_pseudonyms_are_consistent_and_the_key_map_reverses_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["客户", "电话", "金额"])
    for name, phone in (("王五", 13900001111), ("赵六", 13900002222), ("王五", 13900001111)):
        ws.append([name, phone, 99])
    ws["C2"].number_format = "0.00"
    wb.save(tmp_path / "c.xlsx")
    run_script("data-masking", "mask.py", tmp_path / "c.xlsx", "--out", tmp_path / "p.xlsx", "--mode", "pseudo",
               "--key-map", tmp_path / "key.csv", "--json")
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    names = [sheet.cell(r, 1).value for r in (2, 3, 4)]
    assert names == ["NAME_0001", "NAME_0002", "NAME_0001"] and sheet["B4"].value == "PHONE_0001"
    assert sheet["C2"].value == 99 and sheet["C2"].number_format == "0.00"  # untouched cell keeps its format
    key = pd.read_csv(tmp_path / "key.csv", dtype=str, encoding="utf-8-sig")
    assert dict(zip(key["token"], key["original"], strict=True))["PHONE_0002"] == "13900002222"


def test_word_cloud_top_keyword_and_png(tmp_path):
    text = "物流很快，包装很好\n" * 5 + "物流太慢了，等了一周\n" * 3 + "价格便宜 great value\n" * 2
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    out = run_script("word-cloud", "cloud.py", tmp_path / "r.txt", "--out", tmp_path / "w.png", "--table",
                     tmp_path / "f.csv", "--width", "600", "--height", "400", "--json")
    assert out["top"][0] == ["物流", 8]
    assert png_size(tmp_path / "w.png") == (600, 400) and out["placed"] >= 3
    assert pd.read_csv(tmp_path / "f.csv", encoding="utf-8-sig")["word"].iloc[0] == "物流"
