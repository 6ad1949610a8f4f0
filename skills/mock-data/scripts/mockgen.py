#!/usr/bin/env python3
"""Generate realistic fake records (zh_CN or en) as CSV, JSON, Excel or SQL inserts; reproducible with --seed."""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宇浩晨欣怡子涵梓轩思雨博文佳琪雪梅建国志强"
CITIES_ZH = {"北京市": ["朝阳区", "海淀区", "东城区"], "上海市": ["浦东新区", "徐汇区", "静安区"],
             "广东省广州市": ["天河区", "越秀区"], "广东省深圳市": ["南山区", "福田区"], "浙江省杭州市": ["西湖区", "余杭区"],
             "四川省成都市": ["武侯区", "锦江区"], "湖北省武汉市": ["洪山区", "江汉区"], "江苏省南京市": ["鼓楼区", "玄武区"]}
ROADS = "人民路 解放路 中山路 建设路 和平路 长江路 科技路 文化路".split()
MOBILE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 166 173 177 180 181 182 185 186 187 188 189 191 198 199".split()
FIRST_EN = "James Mary John Patricia Robert Jennifer Michael Linda David Emma Olivia Noah Liam Ava Sophia Lucas".split()
LAST_EN = "Smith Johnson Williams Brown Jones Garcia Miller Davis Wilson Taylor Clark Lewis Walker Young".split()
CITIES_EN = "New York,Chicago,Seattle,Austin,Boston,Denver,London,Manchester,Toronto,Sydney".split(",")
STREETS_EN = "Main St,Oak Ave,Maple Rd,Pine St,Cedar Ln,Elm St,Park Ave".split(",")
PRODUCTS = {"zh": "无线耳机 机械键盘 保温杯 帆布包 运动鞋 台灯 充电宝 咖啡豆".split(),
            "en": "Wireless earbuds,Mechanical keyboard,Travel mug,Canvas tote,Running shoes,Desk lamp".split(",")}
STATUSES = {"zh": "待付款 已付款 已发货 已完成 已取消".split(), "en": "pending paid shipped completed cancelled".split()}
TYPES = "name phone email address city company id int float date datetime choice bool product status uuid text".split()


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def parse_schema(text: str) -> list[tuple[str, str, list[str]]]:
    """'姓名:name,手机:phone,金额:float(10,500),状态:choice(a|b)' → [(column, type, args)]."""
    fields = []
    for part in re.findall(r"[^,()]+(?:\([^)]*\))?", text):
        col, _, spec = part.strip().partition(":")
        m = re.fullmatch(r"(\w+)(?:\((.*)\))?", (spec or col).strip())
        if not m or m.group(1) not in TYPES:
            raise ValueError(f"unknown type in {part.strip()!r}; types: {' '.join(TYPES)}")
        args = [x.strip() for x in re.split(r"[|;]", m.group(2))] if m.group(2) and "|" in m.group(2) else \
            [x.strip() for x in (m.group(2) or "").split(",") if x.strip()]
        fields.append((col.strip(), m.group(1), args))
    return fields


def fake_cn_id(rng: random.Random) -> str:
    """A Chinese resident ID number with a valid check digit (fake area and birth date)."""
    body = f"{rng.choice(['110105', '310104', '440305', '330106', '510107'])}" \
           f"{date(1960, 1, 1) + timedelta(days=rng.randrange(16000)):%Y%m%d}{rng.randrange(1000):03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def value(kind: str, args: list[str], loc: str, rng: random.Random, row: int):
    """One fake value of a type."""
    zh = loc == "zh"
    if kind == "name":
        return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))) if zh else \
            f"{rng.choice(FIRST_EN)} {rng.choice(LAST_EN)}"
    if kind == "phone":
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}" if zh else \
            f"+1-{rng.randint(201, 989)}-555-{rng.randrange(10000):04d}"
    if kind == "email":
        return f"user{row:04d}{rng.randrange(100)}@example.{'cn' if zh else 'com'}"
    if kind in ("address", "city"):
        if zh:
            city = rng.choice(list(CITIES_ZH))
            return city if kind == "city" else f"{city}{rng.choice(CITIES_ZH[city])}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
        city = rng.choice(CITIES_EN)
        return city if kind == "city" else f"{rng.randint(1, 9999)} {rng.choice(STREETS_EN)}, {city}"
    if kind == "company":
        return f"{rng.choice(['华信', '远航', '恒通', '新锐', '启明'])}{rng.choice(['科技', '贸易', '文化'])}有限公司" if zh else \
            f"{rng.choice(LAST_EN)} {rng.choice(['Labs', 'Trading', 'Group'])} Inc."
    if kind == "id":
        return fake_cn_id(rng) if zh else f"ID{row:06d}"
    lo, hi = (args + ["", ""])[:2]
    if kind == "int":
        return rng.randint(int(lo or 0), int(hi or 1000))
    if kind == "float":
        return round(rng.uniform(float(lo or 0), float(hi or 1000)), 2)
    if kind in ("date", "datetime"):
        start, end = date.fromisoformat(lo or "2024-01-01"), date.fromisoformat(hi or "2024-12-31")
        d = start + timedelta(days=rng.randint(0, (end - start).days))
        return d.isoformat() if kind == "date" else f"{d} {rng.randint(8, 21):02d}:{rng.randrange(60):02d}:00"
    if kind == "choice":
        return rng.choice(args or ["A", "B"])
    if kind == "bool":
        return rng.random() < 0.5
    if kind in ("product", "status"):
        return rng.choice((PRODUCTS if kind == "product" else STATUSES)["zh" if zh else "en"])
    if kind == "uuid":
        return "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                                0x8000 | rng.getrandbits(14), rng.getrandbits(48))
    return f"样例文本{row}" if zh else f"Sample text {row}"


def write(rows: list[dict], out: Path, fmt: str, table: str) -> None:
    """Save rows as csv (UTF-8 with BOM for Excel), json, xlsx or sql."""
    cols = list(rows[0]) if rows else []
    if fmt == "csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, cols)
            w.writeheader()
            w.writerows(rows)
    elif fmt == "json":
        out.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.append(cols)
        for r in rows:
            wb.active.append([r[c] for c in cols])
        wb.save(out)
    else:
        q = lambda v: "NULL" if v is None else str(int(v)) if isinstance(v, bool) else str(v) if isinstance(v, int | float) \
            else "'" + str(v).replace("'", "''") + "'"  # noqa: E731
        names = ", ".join(f'"{c}"' for c in cols)
        out.write_text("".join(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(q(r[c]) for c in cols)});\n'
                               for r in rows), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    """Parse the schema, generate rows, write the file and print a preview."""
    ap = argparse.ArgumentParser(description="generate fake records")
    ap.add_argument("--schema", required=True, help="'col:type,...' types: " + " ".join(TYPES))
    ap.add_argument("--rows", type=int, default=20)
    ap.add_argument("--locale", choices=["zh", "en"], default="zh")
    ap.add_argument("--seed", type=int, help="same seed → same data")
    ap.add_argument("--out", help="output file; format from its extension (.csv .json .xlsx .sql)")
    ap.add_argument("--table", default="mock_data", help="table name for .sql output")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        fields = parse_schema(a.schema)
    except ValueError as exc:
        fail(str(exc))
    if not 1 <= a.rows <= 1_000_000:
        fail("--rows must be between 1 and 1000000")
    rng = random.Random(a.seed)
    rows = [{c: value(k, args, a.locale, rng, i + 1) for c, k, args in fields} for i in range(a.rows)]
    out = {"ok": True, "rows": len(rows), "columns": [f[0] for f in fields], "preview": rows[:5]}
    if a.out:
        fmt = Path(a.out).suffix.lower().lstrip(".")
        if fmt not in ("csv", "json", "xlsx", "sql"):
            fail("--out must end in .csv, .json, .xlsx or .sql")
        write(rows, Path(a.out), fmt, a.table)
        out["written"] = a.out
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
