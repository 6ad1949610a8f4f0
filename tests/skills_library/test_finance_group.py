"""The finance-group skills: each catalogue 'offline test' run against the skill's own script, with exact money."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, getcontext
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import run_script
from tests.skills_library.part3b_helpers import assert_skill_shape
from tests.tools.fixtures.loopback import serve_site

FINANCE = ["expense-tracker", "budget-planner", "loan-calculator", "investment-calc", "bill-split",
           "quote-invoice-maker", "portfolio-tracker", "subscription-tracker"]


@pytest.mark.parametrize("name", FINANCE)
def test_finance_skill_says_it_is_not_advice_and_names_its_script(name):
    assert "advice" in assert_skill_shape(name, "finance").lower()


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data, encoding="utf-8")
    return path


# --- loan-calculator ---

def closed_form(principal: int, annual_pct: str, months: int) -> Decimal:
    getcontext().prec = 50
    r = Decimal(annual_pct) / 100 / 12
    return principal * r * (1 + r) ** months / ((1 + r) ** months - 1)


def test_one_million_at_3_1_percent_over_30_years_matches_the_formula_to_the_cent(tmp_path):
    out = run_script("loan-calculator", "loan.py", "--amount", "1000000", "--rate", "3.1", "--years", "30",
                     "--out", tmp_path / "plan.xlsx")
    part = out["parts"][0]
    reference = closed_form(1_000_000, "3.1", 360).quantize(Decimal("0.01"))
    assert part["first_payment"] == str(reference) == "4270.16" and part["months"] == 360
    # Interest rounded month by month stays within a few yuan of the closed form n*M - P.
    assert abs(Decimal(part["total_interest"]) - (closed_form(1_000_000, "3.1", 360) * 360 - 1_000_000)) < 3
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "plan.xlsx").active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 360 and rows[-1][5] == 0 and round(sum(r[2] for r in rows), 2) == 1_000_000


def test_equal_principal_combo_and_prepayment():
    ep = run_script("loan-calculator", "loan.py", "--amount", "1200000", "--rate", "3.6", "--years", "10",
                    "--method", "equal-principal")["parts"][0]
    assert ep["first_payment"] == "13600.00" and ep["last_payment"] == "10030.00"  # 10,000 + 3,600 ; 10,000 + 30
    assert Decimal(ep["total_interest"]) == Decimal(1_200_000) * Decimal("0.003") * 121 / 2  # P r (n+1) / 2
    combo = run_script("loan-calculator", "loan.py", "--amount", "400000", "--rate", "3.1", "--years", "30",
                       "--fund-amount", "600000", "--fund-rate", "2.6")
    expected = sum(closed_form(p, r, 360).quantize(Decimal("0.01")) for p, r in ((400000, "3.1"), (600000, "2.6")))
    assert Decimal(combo["combined"]["first_payment"]) == expected
    pre = run_script("loan-calculator", "loan.py", "--amount", "1000000", "--rate", "3.1", "--years", "30",
                     "--prepay", "36:200000")["parts"][0]
    assert pre["months_saved"] > 0 and Decimal(pre["interest_saved"]) > 100000


# --- investment-calc ---

def test_xirr_matches_the_spreadsheet_reference(tmp_path):
    flows = write(tmp_path / "flows.csv", "date,amount\n2008-01-01,-10000\n2008-03-01,2750\n2008-10-30,4250\n"
                                           "2009-02-15,3250\n2009-04-01,2750\n")
    assert abs(run_script("investment-calc", "invest.py", "xirr", flows)["xirr"] - 0.373362535) < 1e-6
    one_year = write(tmp_path / "one.csv", "2020-01-01,-1000\n2021-01-01,1100\n")
    assert abs(run_script("investment-calc", "invest.py", "xirr", one_year)["xirr"] - (1.1 ** (365 / 366) - 1)) < 1e-9


def test_compound_plan_and_inflation():
    assert run_script("investment-calc", "invest.py", "compound", "100000", "3", "5")["future_value"] == 115927.41
    plan = run_script("investment-calc", "invest.py", "plan", "1000", "12", "1")
    r = 0.01
    assert plan["future_value"] == round(1000 * (1 + r) * ((1 + r) ** 12 - 1) / r, 2) and plan["invested"] == 12000
    assert run_script("investment-calc", "invest.py", "real", "1000000", "3", "20")["real_value"] == round(1e6 / 1.03**20, 2)
    assert "positive" in run_script("investment-calc", "invest.py", "cagr", "0", "5", "1", ok=False)["error"]


# --- bill-split ---

def test_bill_split_balances_sum_to_zero_with_the_fewest_transfers(tmp_path):
    data = {"people": ["A", "B", "C", "D", "E", "F"], "expenses": [
        {"payer": "A", "amount": 60, "among": ["A", "B"]},  # B owes A 30
        {"payer": "C", "amount": 40, "among": ["C", "D"]},  # D owes C 20
        {"payer": "E", "amount": 100, "among": ["E", "F"], "shares": {"E": 1, "F": 3}},  # F owes E 75
        {"payer": "B", "amount": 10, "among": ["A", "B", "C"]}]}  # 3.34/3.33/3.33
    out = run_script("bill-split", "split.py", write(tmp_path / "e.json", data))
    balances = {k: Decimal(v) for k, v in out["per_person_paid_minus_owed"].items()}
    assert sum(balances.values()) == 0
    assert balances == {"A": Decimal("26.66"), "B": Decimal("-23.33"), "C": Decimal("16.67"), "D": Decimal("-20.00"),
                        "E": Decimal("75.00"), "F": Decimal("-75.00")}
    assert out["transfer_count"] == 4  # {E,F} settles alone; greedy would also find it, the other four need 3
    settled = dict(balances)
    for t in out["transfers"]:
        settled[t["from"]] += Decimal(t["amount"])
        settled[t["to"]] -= Decimal(t["amount"])
    assert all(v == 0 for v in settled.values())


def test_bill_split_finds_zero_sum_groups_greedy_misses(tmp_path):
    # Balances +5 +5 -10 and +7 -3 -4: two separate groups need 2 + 2 transfers; one big pile may need 5.
    data = {"people": ["P", "Q", "R", "S", "T", "U"], "expenses": [
        {"payer": "P", "amount": 5, "among": ["R"]}, {"payer": "Q", "amount": 5, "among": ["R"]},
        {"payer": "S", "amount": 3, "among": ["T"]}, {"payer": "S", "amount": 4, "among": ["U"]}]}
    out = run_script("bill-split", "split.py", write(tmp_path / "e.json", data))
    assert out["transfer_count"] == 4
    assert "unknown people" in run_script("bill-split", "split.py", write(tmp_path / "bad.json", {
        "people": ["P"], "expenses": [{"payer": "X", "amount": 1}]}), ok=False)["error"]


# --- quote-invoice-maker ---

def test_quote_with_three_items_and_six_percent_tax(tmp_path):
    doc = {"kind": "报价单", "number": "Q-2026-012", "tax_rate": 0.06, "seller": {"name": "甲公司"}, "buyer": {"name": "乙公司"},
           "items": [{"name": "设计", "qty": 1, "price": 5000}, {"name": "开发", "qty": 3, "unit": "人天", "price": 1200.5},
                     {"name": "服务器", "qty": 12, "unit": "月", "price": 99.99}]}
    out = run_script("quote-invoice-maker", "quote.py", write(tmp_path / "q.json", doc), "--xlsx", tmp_path / "q.xlsx")
    assert (out["subtotal"], out["tax"], out["total"]) == ("9801.38", "588.08", "10389.46")
    from openpyxl import load_workbook

    values = [c for row in load_workbook(tmp_path / "q.xlsx").active.iter_rows(values_only=True) for c in row]
    assert 10389.46 in values and 588.08 in values and "服务器" in values
    doc.update(tax_inclusive=True, items=[{"name": "咨询", "qty": 2, "price": 800}])
    inc = run_script("quote-invoice-maker", "quote.py", write(tmp_path / "r.json", doc))
    assert (inc["net"], inc["tax"], inc["total"]) == ("1509.43", "90.57", "1600.00")


# --- portfolio-tracker ---

HOLDINGS = "code,name,shares,cost\n600519,贵州茅台,100,1500\n510300,沪深300ETF,2000,3.85\n000001,平安银行,500,12.40\n"


def test_portfolio_pnl_per_holding_from_fixture_prices(tmp_path):
    holdings = write(tmp_path / "h.csv", HOLDINGS)
    prices = write(tmp_path / "p.json", {"600519": 1520.5, "510300": 4.012, "000001": 11.2})
    out = run_script("portfolio-tracker", "portfolio.py", holdings, "--prices", prices)
    rows = {r["code"]: r for r in out["holdings"]}
    assert rows["600519"]["gain"] == "2050.00" and rows["510300"]["value"] == "8024.00" and rows["000001"]["gain"] == "-600.00"
    assert out["total_value"] == "165674.00" and out["total_gain"] == "1774.00"  # 152,050 + 8,024 + 5,600
    assert sum(Decimal(r["weight_pct"]) for r in out["holdings"]) == Decimal("100.00")


def test_portfolio_fetches_prices_from_a_quote_server_and_reports_missing_ones(tmp_path):
    holdings = write(tmp_path / "h.csv", HOLDINGS)
    with serve_site() as site:
        site.json("/quote/600519", {"price": 1520.5})
        site.page("/quote/510300", b"4.012", "text/plain")
        out = run_script("portfolio-tracker", "portfolio.py", holdings, "--price-url", site.url("/quote/{code}"), ok=False)
    assert out["missing_prices"] == ["000001"] and "000001" in out["fetch_errors"]
    assert {r["code"]: r["value"] for r in out["holdings"]} == {"600519": "152050.00", "510300": "8024.00"}


# --- subscription-tracker ---

def test_subscriptions_annual_total_and_renewals_within_a_week(tmp_path):
    subs = [{"name": "网易云音乐", "price": 15, "cycle": "monthly", "next_renewal": "2026-11-05"},
            {"name": "iCloud", "price": 21, "cycle": "月付", "next_renewal": "2026-12-20"},
            {"name": "爱奇艺", "price": 248, "cycle": "yearly", "next_renewal": "2027-03-01"},
            {"name": "健身房", "price": 299, "cycle": "quarterly", "next_renewal": "2026-09-08"},
            {"name": "Spotify", "price": 9.99, "cycle": "monthly", "next_renewal": "2026-12-01", "currency": "USD"}]
    out = run_script("subscription-tracker", "subs.py", write(tmp_path / "s.json", subs), "--today", "2026-12-01")
    assert out["totals"]["CNY"]["yearly"] == "1876.00" and out["totals"]["USD"]["yearly"] == "119.88"
    renew = {s["name"]: s["next_renewal"] for s in out["subscriptions"]}
    assert renew["网易云音乐"] == "2026-12-05" and renew["健身房"] == "2026-12-08"
    assert out["renewing_soon"] == ["Spotify", "网易云音乐", "健身房"]


# --- expense-tracker and budget-planner ---

ENTRIES = [{"date": "2026-11-02", "amount": 35.5, "note": "午餐 外卖"}, {"date": "2026-11-03", "amount": 120, "note": "滴滴打车"},
           {"date": "2026-11-05", "amount": 15000, "note": "11月工资"}, {"date": "2026-11-09", "amount": 64.5, "note": "瑞幸咖啡"},
           {"date": "2026-11-10", "amount": 2900, "note": "房租"}, {"date": "2026-11-12", "amount": 19.9, "note": "杂物",
                                                                   "category": "购物"},
           {"date": "2026-10-30", "amount": 50, "note": "电影"}]


def test_ledger_category_totals_exact_and_chart_saved(tmp_path):
    ledger = tmp_path / "记账" / "ledger.csv"
    added = run_script("expense-tracker", "ledger.py", "add", "--ledger", ledger, json.dumps(ENTRIES, ensure_ascii=False))
    assert [a["category"] for a in added["added"]] == ["餐饮", "交通", "收入", "餐饮", "居住", "购物", "娱乐"]
    out = run_script("expense-tracker", "ledger.py", "report", "--ledger", ledger, "--month", "2026-11",
                     "--chart", tmp_path / "nov.png")
    cats = {c["category"]: Decimal(c["amount"]) for c in out["by_category"]}
    assert cats == {"居住": 2900, "交通": 120, "餐饮": 100, "购物": Decimal("19.9")}
    assert Decimal(out["spending"]) == Decimal("3139.9") and Decimal(out["income"]) == 15000
    assert (tmp_path / "nov.png").read_bytes()[:4] == b"\x89PNG"
    everything = run_script("expense-tracker", "ledger.py", "report", "--ledger", ledger)
    assert set(everything["by_month"]) == {"2026-10", "2026-11"}


def test_budget_flags_overspent_and_near_limit_categories(tmp_path):
    ledger = tmp_path / "ledger.csv"
    run_script("expense-tracker", "ledger.py", "add", "--ledger", ledger, json.dumps(ENTRIES, ensure_ascii=False))
    budget = write(tmp_path / "b.json", {"month": "2026-11", "income": 15000,
                                         "categories": {"餐饮": 90, "交通": 130, "居住": 3000, "娱乐": 100}})
    out = run_script("budget-planner", "budget.py", budget, ledger, ok=False)
    status = {c["category"]: c["status"] for c in out["categories"]}
    assert status == {"餐饮": "over", "交通": "near", "居住": "near", "娱乐": "ok"}
    assert out["overspent"] == ["餐饮"] and out["unplanned"] == {"购物": "19.9"}
    assert Decimal(out["savings"]) == Decimal(15000) - Decimal("3139.9")
    assert date.fromisoformat(out["month"] + "-01")
