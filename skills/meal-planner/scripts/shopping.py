#!/usr/bin/env python3
"""Merge the ingredients of several recipes into one shopping list, scale recipes, and subtract what is at home.

Recipes JSON: {"recipes": [{"name", "servings": 2, "cook_servings": 4, "ingredients": [{"item": "番茄", "qty": 300,
"unit": "g", "section": "蔬菜"}]}], "pantry": [{"item": "鸡蛋", "qty": 4, "unit": "个"}]}
Quantities are exact fractions; weights meet in grams, volumes in millilitres, other units only with the same unit.
"""
from __future__ import annotations

import argparse
import json
import sys
from fractions import Fraction as F
from pathlib import Path

WEIGHT = {"g": F(1), "克": F(1), "kg": F(1000), "公斤": F(1000), "千克": F(1000), "斤": F(500), "两": F(50),
          "lb": F(45359237, 100000), "oz": F(45359237, 1600000)}
VOLUME = {"ml": F(1), "毫升": F(1), "l": F(1000), "升": F(1000), "tsp": F(5), "茶匙": F(5), "小勺": F(5),
          "tbsp": F(15), "汤匙": F(15), "大勺": F(15), "cup": F(240), "杯": F(240)}
COUNT_ALIASES = {"个": "个", "pcs": "个", "piece": "个", "pieces": "个", "只": "个", "颗": "个", "枚": "个"}


def norm_unit(unit: str) -> tuple[str, F]:
    """(family or unit, factor): g for weights, ml for volumes, else the unit itself."""
    u = (unit or "").strip()
    low = u.lower()
    if low in WEIGHT or u in WEIGHT:
        return "g", WEIGHT.get(low, WEIGHT.get(u))
    if low in VOLUME or u in VOLUME:
        return "ml", VOLUME.get(low, VOLUME.get(u))
    return COUNT_ALIASES.get(low, u), F(1)


def nice(q: F, unit: str) -> tuple[str, str]:
    """A readable amount: kg / L above 1000, halves and quarters kept as fractions, else up to 2 decimals."""
    if unit == "g" and q >= 1000:
        q, unit = q / 1000, "kg"
    elif unit == "ml" and q >= 1000:
        q, unit = q / 1000, "L"
    if q.denominator == 1:
        return str(q.numerator), unit
    if q.denominator in (2, 3, 4) and q < 10:
        whole, rest = divmod(q.numerator, q.denominator)
        return (f"{whole} " if whole else "") + f"{rest}/{q.denominator}", unit
    return f"{float(q):.2f}".rstrip("0").rstrip("."), unit


def scale_factor(recipe: dict, override: dict[str, int]) -> F:
    base = F(recipe.get("servings") or 1)
    want = override.get(recipe["name"], recipe.get("cook_servings") or recipe.get("servings") or 1)
    return F(want) / base


def merge(recipes: list[dict], pantry: list[dict], override: dict[str, int]) -> dict:
    """One list: same item + unit family summed across recipes, minus the pantry, grouped by section."""
    need: dict[tuple[str, str], dict] = {}
    for r in recipes:
        factor = scale_factor(r, override)
        for ing in r.get("ingredients", []):
            name = ing["item"].strip()
            if ing.get("qty") in (None, ""):  # "salt to taste": listed once, no amount
                need.setdefault((name, ""), {"qty": None, "section": ing.get("section", "其他"), "for": set()})["for"].add(r["name"])
                continue
            fam, f = norm_unit(ing.get("unit", ""))
            entry = need.setdefault((name, fam), {"qty": F(0), "section": ing.get("section", "其他"), "for": set()})
            entry["qty"] = (entry["qty"] or F(0)) + F(str(ing["qty"])) * f * factor
            entry["for"].add(r["name"])
    have = {}
    for p in pantry:
        fam, f = norm_unit(p.get("unit", ""))
        have[(p["item"].strip(), fam)] = have.get((p["item"].strip(), fam), F(0)) + F(str(p["qty"])) * f
    items, covered = [], []
    for (name, fam), e in sorted(need.items(), key=lambda kv: (kv[1]["section"], kv[0][0])):
        qty = e["qty"]
        if qty is not None and (name, fam) in have:
            qty -= have[(name, fam)]
            if qty <= 0:
                covered.append(name)
                continue
        amount, unit = nice(qty, fam) if qty is not None else ("适量 / to taste", "")
        items.append({"item": name, "amount": amount, "unit": unit, "section": e["section"], "for": sorted(e["for"])})
    sections: dict[str, list[dict]] = {}
    for it in items:
        sections.setdefault(it["section"], []).append(it)
    return {"ok": True, "count": len(items), "items": items, "by_section": sections, "already_have": covered}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("list", help="merged shopping list")
    s.add_argument("recipes_file")
    s.add_argument("--servings", action="append", default=[], help="RECIPE=N to cook N servings of one recipe")
    s.add_argument("--out", help="also write the list as a Markdown checklist here")
    c = sub.add_parser("scale", help="one recipe for N servings")
    c.add_argument("recipes_file")
    c.add_argument("recipe")
    c.add_argument("servings", type=int)
    for x in (s, c):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        data = json.loads(Path(args.recipes_file).read_text(encoding="utf-8"))
        recipes = data["recipes"] if isinstance(data, dict) else data
        if args.cmd == "list":
            override = {k: int(v) for k, v in (x.split("=", 1) for x in args.servings)}
            result = merge(recipes, data.get("pantry", []) if isinstance(data, dict) else [], override)
            if args.out:
                lines = ["# 购物清单 Shopping list", ""]
                for sec, its in result["by_section"].items():
                    lines += [f"## {sec}", *(f"- [ ] {i['item']} {i['amount']} {i['unit']}".rstrip() for i in its), ""]
                Path(args.out).write_text("\n".join(lines), encoding="utf-8")
                result["file"] = args.out
        else:
            recipe = next((r for r in recipes if r["name"] == args.recipe), None)
            if recipe is None:
                raise ValueError(f"no recipe named {args.recipe!r}")
            result = merge([recipe], [], {recipe["name"]: args.servings})
            result["servings"] = args.servings
    except (OSError, ValueError, KeyError, ZeroDivisionError) as exc:
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
