"""Read product pages and put name, price, currency, rating and stock of each into one comparison table.

Usage:
  prices.py URL [URL ...] [--budget 3000] [--out compare.xlsx|.csv] [--delay 1] [--json]
The price comes from the page's structured data (schema.org Product JSON-LD or microdata), then price
meta tags, then an element whose class mentions "price", then the first ¥/$/€ amount in the text.
"found_by" says which, so the model can tell a reliable price from a guess. robots.txt is obeyed;
pages that need a login, JavaScript or an app return no price and are listed with an error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.parse
from pathlib import Path

# the shared helpers live in the webpage-reader skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "webpage-reader" / "scripts"))
from pagekit import FetchError, emit, fetch, page_meta, parse_html, run, save_rows, select, text_of  # noqa: E402

AMOUNT = re.compile(r"(?:[¥￥$€£]|RMB|CNY)\s*([0-9][0-9,]*(?:\.\d{1,2})?)|([0-9][0-9,]*(?:\.\d{1,2})?)\s*元")
SYMBOL = {"¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR", "£": "GBP", "元": "CNY"}


def _num(value) -> float | None:
    try:
        return float(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return None


def _products(data):
    """Every schema.org Product object inside a JSON-LD document."""
    if isinstance(data, list):
        for d in data:
            yield from _products(d)
    elif isinstance(data, dict):
        kind = data.get("@type")
        if kind == "Product" or (isinstance(kind, list) and "Product" in kind):
            yield data
        for key in ("@graph", "itemListElement", "item"):
            if key in data:
                yield from _products(data[key])


def from_json_ld(root) -> dict | None:
    """Name, price, currency, stock and rating from structured data."""
    for script in select(root, "script[type=application/ld+json]"):
        try:
            data = json.loads("".join(c for c in script.children if isinstance(c, str)))
        except ValueError:
            continue
        for p in _products(data):
            offers = p.get("offers") or {}
            offer = offers[0] if isinstance(offers, list) and offers else offers
            price = _num(offer.get("price", offer.get("lowPrice")))
            if price is None:
                continue
            rating = p.get("aggregateRating") or {}
            return {"name": p.get("name", ""), "price": price, "currency": offer.get("priceCurrency", ""),
                    "in_stock": str(offer.get("availability", "")).rsplit("/", 1)[-1] or None,
                    "rating": _num(rating.get("ratingValue")), "reviews": _num(rating.get("reviewCount")),
                    "found_by": "json-ld"}
    return None


def from_markup(root) -> dict | None:
    """Price from microdata, meta tags, a price-classed element or the first money amount."""
    for el in select(root, "[itemprop=price], meta[property=product:price:amount], meta[property=og:price:amount]"):
        price = _num(el.attrs.get("content") or text_of(el))
        if price is not None:
            cur = select(root, "[itemprop=priceCurrency], meta[property=product:price:currency]")
            return {"price": price, "currency": cur[0].attrs.get("content", "") if cur else "", "found_by": "meta"}
    priced = [e for e in root.elements() if "price" in f"{e.attrs.get('class', '')} {e.attrs.get('id', '')}".lower()]
    for how, texts in (("price-element", [text_of(e) for e in priced]), ("text", [text_of(root)])):
        for text in texts:
            found = money(text)
            if found:
                return {"price": found[0], "currency": found[1], "found_by": how}
    return None


def money(text: str) -> tuple[float, str] | None:
    """The first amount written with a currency sign or 元, and its currency code."""
    m = AMOUNT.search(text)
    if not m:
        return None
    sign = re.match(r"\s*([¥￥$€£])", m.group(0))
    unit = sign.group(1) if sign else "元" if m.group(2) else ""
    return _num(m.group(1) or m.group(2)), SYMBOL.get(unit, "CNY" if "RMB" in m.group(0) or "CNY" in m.group(0) else "")


def read_product(url: str, obey_robots: bool) -> dict:
    """One row of the comparison."""
    row = {"shop": urllib.parse.urlsplit(url).netloc, "url": url}
    try:
        page = fetch(url, obey_robots=obey_robots)
    except FetchError as exc:
        return {**row, "error": str(exc)}
    root = parse_html(page.text)
    info = from_json_ld(root) or from_markup(root) or {"error": "no price found (login, JavaScript or app-only page?)"}
    info["name"] = info.get("name") or page_meta(root, page.url)["title"]
    return {**row, **info}


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("urls", nargs="+")
    ap.add_argument("--budget", type=float)
    ap.add_argument("--out")
    ap.add_argument("--delay", type=float, default=1.0)
    ap.add_argument("--no-robots", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = []
    for i, url in enumerate(a.urls):
        if i:
            time.sleep(a.delay)
        rows.append(read_product(url, not a.no_robots))
    priced = sorted((r for r in rows if r.get("price") is not None), key=lambda r: r["price"])
    for r in priced:
        if a.budget is not None:
            r["within_budget"] = r["price"] <= a.budget
    result = {"compared": len(priced), "cheapest": priced[0] if priced else None,
              "rows": priced + [r for r in rows if r.get("price") is None],
              "note": "prices change often and may exclude shipping, coupons or membership discounts"}
    if a.out:
        result["saved"] = save_rows(result["rows"], a.out)
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
