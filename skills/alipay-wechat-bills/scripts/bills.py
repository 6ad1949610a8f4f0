#!/usr/bin/env python3
"""Clean and analyse Alipay (支付宝) and WeChat Pay (微信支付) bill exports: spending by month, category and merchant,
with refunds netted and closed or internal transactions left out.

Reads the CSV (UTF-8 or GBK) or XLSX files the apps export, skipping their preamble lines. Formats as exported in
2024-2026: Alipay columns 交易时间, 交易分类, 交易对方, 商品说明, 收/支, 金额, 交易状态; WeChat columns 交易时间, 交易类型,
交易对方, 商品, 收/支, 金额(元), 当前状态. Money uses Decimal.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

WECHAT_CATEGORIES = [  # WeChat exports have no category column: guess from merchant and item
    ("餐饮美食", "餐 饭 面 咖啡 奶茶 茶 美团 饿了么 麦当劳 肯德基 星巴克 瑞幸 蜜雪 食堂 烧烤 火锅"),
    ("交通出行", "滴滴 地铁 公交 出行 高铁 12306 航空 加油 停车 哈啰 打车"),
    ("日用百货", "超市 便利店 京东 拼多多 淘宝 天猫 盒马 全家 罗森 7-11"),
    ("充值缴费", "话费 电费 水费 燃气 宽带 充值"),
    ("文化休闲", "电影 影城 游戏 音乐 视频 会员 书"),
    ("医疗健康", "医院 药 诊所 体检"),
    ("转账红包", "转账 红包"),
]


def money(text: str) -> Decimal:
    """'¥12.50' or '12.50' -> Decimal."""
    return Decimal(re.sub(r"[¥￥,\s]", "", str(text)) or "0")


def rows_of(path: Path) -> list[list[str]]:
    """All rows of a CSV (UTF-8 or GB18030) or the first sheet of an XLSX, as strings."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        ws = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [["" if v is None else str(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]


def detect(rows: list[list[str]]) -> tuple[str, int]:
    """('alipay' | 'wechat', header row index)."""
    for i, r in enumerate(rows):
        if "交易时间" in r:
            if "交易分类" in r or "商品说明" in r:
                return "alipay", i
            if "交易类型" in r or "当前状态" in r:
                return "wechat", i
    raise ValueError("no 交易时间 header: not an Alipay or WeChat Pay bill export")


def wechat_category(merchant: str, item: str, kind: str) -> str:
    text = f"{kind} {merchant} {item}"
    return next((c for c, words in WECHAT_CATEGORIES if any(w in text for w in words.split())), "其他")


def records(path: Path) -> list[dict]:
    """Normalised records: source, time, category, merchant, item, direction, amount, refund, status."""
    rows = rows_of(path)
    source, h = detect(rows)
    head = rows[h]
    out = []
    for r in rows[h + 1 :]:
        if len(r) < len(head) // 2 or not r[0] or r[0].startswith("-"):
            continue
        d = dict(zip(head, r, strict=False))
        if source == "alipay":
            rec = {"category": d.get("交易分类") or "其他", "merchant": d.get("交易对方", ""),
                   "item": d.get("商品说明", ""), "status": d.get("交易状态", ""), "amount": money(d.get("金额", "0"))}
        else:
            rec = {"category": wechat_category(d.get("交易对方", ""), d.get("商品", ""), d.get("交易类型", "")),
                   "merchant": d.get("交易对方", ""), "item": d.get("商品", ""), "status": d.get("当前状态", ""),
                   "amount": money(d.get("金额(元)", d.get("金额", "0"))), "kind": d.get("交易类型", "")}
        rec.update(source=source, time=d["交易时间"], direction=d.get("收/支", "").strip() or "/")
        out.append(rec)
    return out


def classify(rec: dict) -> tuple[str, Decimal]:
    """('spend' | 'income' | 'refund' | 'skip', amount to count)."""
    status, item = rec["status"], rec["item"]
    if rec["source"] == "alipay":
        if "退款" in status or item.startswith("退款"):
            return "refund", rec["amount"]
        if "关闭" in status or rec["direction"] not in ("支出", "收入"):
            return "skip", Decimal(0)
    else:
        if "退款" in rec.get("kind", "") or item.startswith("退款"):
            return "skip", Decimal(0)  # netted on the original payment through its status
        if "已全额退款" in status:
            return "refund_full", rec["amount"]
        if m := re.search(r"已退款[（(]?[¥￥]?([\d.]+)", status):
            return "spend", rec["amount"] - Decimal(m.group(1))
        if rec["direction"] not in ("支出", "收入"):
            return "skip", Decimal(0)
    return ("spend" if rec["direction"] == "支出" else "income"), rec["amount"]


def analyse(recs: list[dict], top: int = 10) -> dict:
    """Totals by month, category and merchant after netting refunds."""
    by_month, by_cat, by_merchant = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    spend = income = refunds = Decimal(0)
    counted = 0
    for rec in recs:
        kind, amount = classify(rec)
        if kind == "skip":
            continue
        if kind == "income":
            income += amount
            continue
        refunds += rec["amount"] - amount if kind == "spend" else amount
        if kind in ("refund", "refund_full"):
            amount = -amount if kind == "refund" else Decimal(0)
        spend += amount
        counted += 1
        by_month[rec["time"][:7].replace("/", "-")] += amount
        by_cat[rec["category"]] += amount
        by_merchant[rec["merchant"] or "（未知）"] += amount
    sort = lambda d: [{"name": k, "amount": str(v)} for k, v in sorted(d.items(), key=lambda kv: -kv[1]) if v]  # noqa: E731
    return {"records": len(recs), "counted": counted, "spending": str(spend), "income": str(income),
            "refunds_netted": str(refunds), "by_month": {k: str(v) for k, v in sorted(by_month.items())},
            "by_category": sort(by_cat), "top_merchants": sort(by_merchant)[:top]}


def write_xlsx(result: dict, recs: list[dict], out: Path) -> None:
    """Sheets: 明细, 分类, 月度, 商户."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["来源", "时间", "分类", "交易对方", "商品", "收/支", "金额", "状态", "计入"])
    for r in recs:
        kind, amount = classify(r)
        ws.append([r["source"], r["time"], r["category"], r["merchant"], r["item"], r["direction"], float(r["amount"]),
                   r["status"], kind])
    for title, items in (("分类", result["by_category"]), ("商户", result["top_merchants"])):
        sheet = wb.create_sheet(title)
        sheet.append(["名称", "金额"])
        for it in items:
            sheet.append([it["name"], float(it["amount"])])
    sheet = wb.create_sheet("月度")
    sheet.append(["月份", "支出"])
    for k, v in result["by_month"].items():
        sheet.append([k, float(v)])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def main(argv: list[str] | None = None) -> None:
    """Analyse one or more exports together; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--month", help="only YYYY-MM")
    p.add_argument("--top", type=int, default=10)
    p.add_argument("--xlsx", type=Path)
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        recs = [r for f in a.files for r in records(f)]
        if a.month:
            recs = [r for r in recs if r["time"][:7].replace("/", "-") == a.month]
        result = analyse(recs, a.top)
        if a.xlsx:
            write_xlsx(result, recs, a.xlsx)
    except (OSError, ValueError, InvalidOperation) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "sources": sorted({r["source"] for r in recs}), **result,
                      "xlsx": str(a.xlsx) if a.xlsx else None}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
