"""Statistical tests and simple models with p-values, using only numpy (scipy is not needed).

Usage (add --file DATA.csv/xlsx to read columns; otherwise give numbers as "1.2,3.4,..."):
  stats.py ttest --a COL|NUMS --b COL|NUMS [--paired] [--equal-var]
  stats.py ttest --file F --value COL --group COL            (exactly two groups)
  stats.py anova --file F --value COL --group COL
  stats.py chisq --file F --row COL --col COL [--yates]      (or --table "10,20;30,40")
  stats.py corr  --x COL|NUMS --y COL|NUMS
  stats.py regress --file F --y COL --x COL[,COL...]
  stats.py ab --conv-a 120 --n-a 2400 --conv-b 150 --n-b 2380
  stats.py trend --y COL|NUMS [--periods 3]
Output is JSON: statistic, degrees of freedom, p_value and a plain-language verdict at --alpha (0.05).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import InputError, emit, need_columns, read_table, run  # noqa: E402

EPS, TINY = 3e-16, 1e-300


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > TINY else TINY)
    h = d
    for m in range(1, 500):
        for aa in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                   -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + aa * d
            d = 1.0 / (d if abs(d) > TINY else TINY)
            c = 1.0 + aa / c
            c = c if abs(c) > TINY else TINY
            h *= d * c
        if abs(d * c - 1.0) < EPS:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1 - x) / b


def gammaincc(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x)."""
    if x <= 0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:  # series for P converges fast here
        term = total = 1.0 / a
        n = a
        while abs(term) > abs(total) * EPS:
            n += 1
            term *= x / n
            total += term
        return 1.0 - total * math.exp(log_front)
    b, c, d = x + 1 - a, 1.0 / TINY, 1.0 / (x + 1 - a)
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1.0 / (d if abs(d) > TINY else TINY)
        c = b + an / c
        c = c if abs(c) > TINY else TINY
        h *= d * c
        if abs(d * c - 1) < EPS:
            break
    return math.exp(log_front) * h


def t_sf2(t: float, df: float) -> float:
    """Two-sided p-value of Student's t."""
    return betainc(df / 2, 0.5, df / (df + t * t))


def f_sf(f: float, d1: float, d2: float) -> float:
    """Upper tail of the F distribution."""
    return betainc(d2 / 2, d1 / 2, d2 / (d2 + d1 * f)) if f > 0 else 1.0


def chi2_sf(x: float, k: float) -> float:
    """Upper tail of the chi-square distribution."""
    return gammaincc(k / 2, x / 2)


def norm_sf2(z: float) -> float:
    """Two-sided p-value of a standard normal z."""
    return math.erfc(abs(z) / math.sqrt(2))


def verdict(p: float, alpha: float) -> str:
    """A plain-language reading of a p-value."""
    if p < alpha:
        return f"significant at {alpha}: p={p:.4g} < {alpha}, unlikely to be chance alone"
    return f"not significant at {alpha}: p={p:.4g} >= {alpha}, the data do not show a real effect"


def ttest(a, b, paired=False, equal_var=False) -> dict:
    """Welch (default), Student or paired t-test of two samples."""
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    if paired:
        if len(a) != len(b):
            raise InputError("paired test needs samples of equal length")
        d = a - b
        t, df, name = d.mean() / (d.std(ddof=1) / math.sqrt(len(d))), len(d) - 1, "paired t-test"
    elif equal_var:
        df = len(a) + len(b) - 2
        sp2 = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / df
        t, name = (a.mean() - b.mean()) / math.sqrt(sp2 * (1 / len(a) + 1 / len(b))), "Student t-test"
    else:
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        t, name = (a.mean() - b.mean()) / math.sqrt(va + vb), "Welch t-test"
        df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return {"test": name, "mean_a": a.mean(), "mean_b": b.mean(), "n_a": len(a), "n_b": len(b),
            "statistic": t, "df": df, "p_value": t_sf2(t, df)}


def anova(groups: dict) -> dict:
    """One-way ANOVA across groups."""
    import numpy as np

    arrays = [np.asarray(v, float) for v in groups.values()]
    allv = np.concatenate(arrays)
    ssb = sum(len(g) * (g.mean() - allv.mean()) ** 2 for g in arrays)
    ssw = sum(((g - g.mean()) ** 2).sum() for g in arrays)
    d1, d2 = len(arrays) - 1, len(allv) - len(arrays)
    f = (ssb / d1) / (ssw / d2)
    return {"test": "one-way ANOVA", "groups": {k: float(np.mean(v)) for k, v in groups.items()},
            "statistic": f, "df": [d1, d2], "p_value": f_sf(f, d1, d2)}


def chisq(table, yates=False) -> dict:
    """Chi-square test of independence on a contingency table."""
    import numpy as np

    obs = np.asarray(table, float)
    exp = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    diff = np.abs(obs - exp)
    if yates and obs.shape == (2, 2):
        diff = np.maximum(diff - 0.5, 0)
    stat = float((diff ** 2 / exp).sum())
    df = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    out = {"test": "chi-square independence", "statistic": stat, "df": df, "p_value": chi2_sf(stat, df),
           "expected": exp.round(3).tolist()}
    if (exp < 5).any():
        out["warning"] = "some expected counts are below 5: treat the p-value with care"
    return out


def corr(x, y) -> dict:
    """Pearson and Spearman correlation with p-values."""
    import pandas as pd

    x, y = pd.Series(x, dtype=float), pd.Series(y, dtype=float)
    n, out = len(x), {"test": "correlation", "n": len(x)}
    for name, r in (("pearson", x.corr(y)), ("spearman", x.rank().corr(y.rank()))):
        t = r * math.sqrt((n - 2) / max(1 - r * r, 1e-300))
        out[name] = {"r": r, "p_value": t_sf2(t, n - 2)}
    out["p_value"] = out["pearson"]["p_value"]
    return out


def regress(y, xs: dict) -> dict:
    """Ordinary least squares with standard errors, t and p for each coefficient."""
    import numpy as np

    y = np.asarray(y, float)
    names = ["intercept", *xs]
    X = np.column_stack([np.ones(len(y))] + [np.asarray(v, float) for v in xs.values()])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    n, k = X.shape
    sigma2 = resid @ resid / (n - k)
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(X.T @ X)))
    r2 = 1 - resid @ resid / ((y - y.mean()) ** 2).sum()
    coefs = {nm: {"coef": b, "se": s, "t": b / s, "p_value": t_sf2(b / s, n - k)} for nm, b, s in zip(names, beta, se, strict=False)}
    f = (r2 / (k - 1)) / ((1 - r2) / (n - k)) if k > 1 else float("nan")
    return {"test": "OLS regression", "n": n, "coefficients": coefs, "r2": r2,
            "adj_r2": 1 - (1 - r2) * (n - 1) / (n - k), "f": f, "p_value": f_sf(f, k - 1, n - k)}


def ab(ca: int, na: int, cb: int, nb: int) -> dict:
    """Two-proportion z-test for an A/B conversion comparison."""
    pa, pb, pooled = ca / na, cb / nb, (ca + cb) / (na + nb)
    z = (pb - pa) / math.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    half = 1.96 * math.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    return {"test": "two-proportion z-test", "rate_a": pa, "rate_b": pb, "lift": (pb - pa) / pa if pa else None,
            "diff_ci95": [pb - pa - half, pb - pa + half], "statistic": z, "p_value": norm_sf2(z)}


def trend(y, periods: int) -> dict:
    """Linear trend over equally spaced points, extended a few periods ahead."""
    fit = regress(y, {"t": list(range(len(y)))})
    b0, b1 = fit["coefficients"]["intercept"]["coef"], fit["coefficients"]["t"]["coef"]
    ahead = [b0 + b1 * (len(y) + i) for i in range(periods)]
    return {"test": "linear trend", "slope_per_period": b1, "r2": fit["r2"], "forecast": ahead,
            "p_value": fit["coefficients"]["t"]["p_value"],
            "caution": "a straight-line extension; seasonality and shocks are ignored"}


def values(df, spec: str) -> list[float]:
    """A column of the table (dropping blanks), or comma-separated numbers."""
    if df is not None and spec in df.columns:
        import pandas as pd

        return pd.to_numeric(df[spec], errors="coerce").dropna().tolist()
    try:
        return [float(v) for v in spec.replace("，", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError(f"{spec!r} is neither a column nor a list of numbers") from None


def grouped(df, value: str, group: str) -> dict:
    """Values of one column split by the categories of another."""
    if df is None:
        raise InputError("--value/--group need --file")
    need_columns(df, [value, group])
    return {str(k): values(g, value) for k, g in df.groupby(group)}


def dispatch(a, df) -> dict:
    """Run the chosen test."""
    if a.cmd == "ttest":
        if a.group:
            groups = grouped(df, a.value, a.group)
            if len(groups) != 2:
                raise InputError(f"t-test needs exactly two groups, found {list(groups)}; use anova")
            (na, va), (nb, vb) = groups.items()
            return {"groups": [na, nb], **ttest(va, vb, a.paired, a.equal_var)}
        return ttest(values(df, a.a), values(df, a.b), a.paired, a.equal_var)
    if a.cmd == "anova":
        return anova(grouped(df, a.value, a.group))
    if a.cmd == "chisq":
        if a.table:
            return chisq([[float(v) for v in row.split(",")] for row in a.table.split(";")], a.yates)
        import pandas as pd

        need_columns(df, [a.row, a.col])
        ct = pd.crosstab(df[a.row], df[a.col])
        return {"table": ct.to_dict(), **chisq(ct.values, a.yates)}
    if a.cmd == "corr":
        return corr(values(df, a.x), values(df, a.y))
    if a.cmd == "regress":
        d = df.dropna(subset=need_columns(df, [a.y, *a.x.split(",")]))
        return regress(values(d, a.y), {c: values(d, c) for c in a.x.split(",")})
    if a.cmd == "ab":
        return ab(a.conv_a, a.n_a, a.conv_b, a.n_b)
    return trend(values(df, a.y), a.periods)


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    specs = {"ttest": ["a", "b", "value", "group"], "anova": ["value", "group"], "chisq": ["row", "col", "table"],
             "corr": ["x", "y"], "regress": ["x", "y"], "ab": [], "trend": ["y"]}
    for cmd, opts in specs.items():
        p = sub.add_parser(cmd)
        p.add_argument("--file")
        p.add_argument("--sheet")
        p.add_argument("--alpha", type=float, default=0.05)
        p.add_argument("--json", action="store_true")
        for o in opts:
            p.add_argument(f"--{o}")
        if cmd == "ttest":
            p.add_argument("--paired", action="store_true")
            p.add_argument("--equal-var", action="store_true")
        if cmd == "chisq":
            p.add_argument("--yates", action="store_true")
        if cmd == "ab":
            for o in ("conv-a", "n-a", "conv-b", "n-b"):
                p.add_argument(f"--{o}", type=int, required=True)
        if cmd == "trend":
            p.add_argument("--periods", type=int, default=3)
    return ap


def main() -> int:
    """Entry point."""
    a = build_parser().parse_args()
    df = read_table(a.file, sheet=a.sheet) if a.file else None
    result = dispatch(a, df)
    result["verdict"] = verdict(result["p_value"], a.alpha)
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
