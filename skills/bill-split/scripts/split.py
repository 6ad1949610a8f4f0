#!/usr/bin/env python3
"""Split shared costs (AA) and settle up with the fewest transfers.

Input JSON: {"people": [...], "expenses": [{"payer": "A", "amount": 300, "among": ["A", "B"], "shares": {"A": 2}}]}
`among` defaults to everyone, `shares` to 1 each. Amounts are handled in cents; leftover cents of an uneven split
go to the first people in the list so the balances always sum to exactly zero.
"""
from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

MAX_EXACT = 16  # the fewest-transfer search is exponential; above this many non-zero balances use the greedy plan


def cents(x) -> int:
    """Yuan (number or string) to integer cents."""
    return int((Decimal(str(x)) * 100).to_integral_value(ROUND_HALF_UP))


def balances(people: list[str], expenses: list[dict]) -> dict[str, int]:
    """Paid minus owed per person, in cents; sums to zero."""
    bal = dict.fromkeys(people, 0)
    for e in expenses:
        among = e.get("among") or people
        shares = {p: int(e.get("shares", {}).get(p, 1)) for p in among}
        unknown = {e["payer"], *among} - set(bal)
        if unknown:
            raise ValueError(f"unknown people: {', '.join(sorted(unknown))}")
        total, weight = cents(e["amount"]), sum(shares.values())
        if weight <= 0:
            raise ValueError(f"expense {e.get('what', '')!r} has no one to share it")
        owed = {p: total * s // weight for p, s in shares.items()}
        for p in among[: total - sum(owed.values())]:
            owed[p] += 1
        bal[e["payer"]] += total
        for p, amount in owed.items():
            bal[p] -= amount
    return bal


def settle_greedy(bal: dict[str, int]) -> list[tuple[str, str, int]]:
    """Largest debtor pays largest creditor until all are even (at most n-1 transfers)."""
    debt = sorted(((-v, p) for p, v in bal.items() if v < 0), reverse=True)
    cred = sorted(((v, p) for p, v in bal.items() if v > 0), reverse=True)
    out = []
    while debt and cred:
        (d, dp), (c, cp) = debt[0], cred[0]
        pay = min(d, c)
        out.append((dp, cp, pay))
        debt = sorted([(d - pay, dp)] * (d > pay) + debt[1:], reverse=True)
        cred = sorted([(c - pay, cp)] * (c > pay) + cred[1:], reverse=True)
    return out


def settle_fewest(bal: dict[str, int]) -> list[tuple[str, str, int]]:
    """Fewest transfers: split people into the most groups that sum to zero; each group of k needs k-1 transfers."""
    items = [(p, v) for p, v in bal.items() if v]
    n = len(items)
    if n > MAX_EXACT:
        return settle_greedy(bal)
    sums = [0] * (1 << n)
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        sums[mask] = sums[mask & (mask - 1)] + items[low][1]
    best = [0] * (1 << n)  # most zero-sum groups inside mask
    for mask in range(1, 1 << n):
        best[mask] = max(best[mask & ~(1 << i)] for i in range(n) if mask >> i & 1) + (sums[mask] == 0)
    groups, mask = [], (1 << n) - 1
    while mask:  # peel off one smallest zero-sum group at a time
        sub = mask
        chosen = mask
        while sub:
            if sums[sub] == 0 and best[mask ^ sub] == best[mask] - 1 and bin(sub).count("1") < bin(chosen).count("1"):
                chosen = sub
            sub = (sub - 1) & mask
        groups.append(chosen)
        mask ^= chosen
    out = []
    for g in groups:
        out += settle_greedy({items[i][0]: items[i][1] for i in range(n) if g >> i & 1})
    return out


def main(argv: list[str] | None = None) -> None:
    """Read the expenses, print balances and transfers as JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("expenses", type=Path, help="JSON file as described above")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        data = json.loads(a.expenses.read_text(encoding="utf-8"))
        people = data.get("people") or sorted({e["payer"] for e in data["expenses"]})
        bal = balances(people, data["expenses"])
        transfers = settle_fewest(bal)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    total = sum(cents(e["amount"]) for e in data["expenses"])
    print(json.dumps({
        "ok": True, "total": f"{total / 100:.2f}", "per_person_paid_minus_owed": {k: f"{v / 100:.2f}" for k, v in bal.items()},
        "transfers": [{"from": f, "to": t, "amount": f"{c / 100:.2f}"} for f, t, c in transfers],
        "transfer_count": len(transfers)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
