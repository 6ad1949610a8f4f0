"""Count the keywords of Chinese or English text and draw a word cloud PNG with a frequency table.

Usage:
  cloud.py INPUT [INPUT ...] [--column 评论] --out cloud.png [--table freq.csv] [--top 100]
           [--stopwords extra.txt] [--min-len 2] [--width 1200 --height 800] [--json]
INPUT: text files (.txt/.md), or CSV/Excel with --column naming the text column.
Chinese is segmented with jieba when it is installed (better), otherwise by frequent 2-4 character
terms. The picture uses the `wordcloud` package when installed, otherwise a built-in matplotlib
layout; both need a CJK font for Chinese (the script finds an installed one and reports it).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import InputError, emit, read_table, read_text, run  # noqa: E402

STOP_ZH = set("的 了 是 在 和 也 就 都 而 及 与 着 或 一个 没有 我们 你们 他们 她们 它们 这个 那个 这些 那些 自己 什么 "
              "因为 所以 但是 如果 就是 还是 可以 已经 非常 比较 感觉 觉得 真的 还有 以及 然后 其实 一下 一些 有点 "
              "不是 这样 那样 怎么 这么 那么 之后 时候 今天 东西 大家 一直 还是 不过 而且".split())
STOP_CHARS = set("的了是在和也就都而及与着或我你他她它这那有不很太还又吗呢吧啊呀哦嗯个把被让给对从向到")
STOP_EN = set("the a an and or but if of to in on at for with from by is are was were be been being it its this "
              "that these those i you he she we they me my your our their his her them not no so very too can "
              "could would should will just than then there here what which who whom how when where why all any "
              "some more most much many also as do does did have has had am about into over after before".split())
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Serif CJK SC", "Heiti SC", "Arial Unicode MS")


def load_texts(paths: list[str], column: str | None) -> list[str]:
    """The documents to count: whole text files, or one column's cells."""
    texts = []
    for p in map(Path, paths):
        if p.suffix.lower() in (".csv", ".tsv", ".xlsx", ".xls", ".json"):
            if not column:
                raise InputError(f"{p.name} is a table: name the text column with --column")
            df = read_table(p, as_text=True)
            if column not in df.columns:
                raise InputError(f"no column {column!r} in {p.name}; columns are {list(df.columns)}")
            texts += [t for t in df[column] if t.strip()]
        elif p.is_file():
            texts.append(read_text(p)[0])
        else:
            raise InputError(f"file not found: {p}")
    return texts


def zh_terms_fallback(texts: list[str]) -> Counter:
    """Frequent 2-4 character terms, dropping pieces that mostly occur inside a longer term."""
    grams: Counter = Counter()
    for text in texts:
        for run_ in re.findall(r"[\u4e00-\u9fff]+", text):
            for n in (2, 3, 4):
                grams.update(run_[i:i + n] for i in range(len(run_) - n + 1))
    good = {g: c for g, c in grams.items()
            if c >= 2 and g[0] not in STOP_CHARS and g[-1] not in STOP_CHARS and g not in STOP_ZH}
    for g in sorted(good, key=len):
        longer = [c for h, c in good.items() if len(h) > len(g) and g in h]
        if longer and max(longer) >= 0.8 * good[g]:
            good[g] = 0
    return Counter({g: c for g, c in good.items() if c})


def count_words(texts: list[str], stop: set[str], min_len: int) -> tuple[Counter, str]:
    """Word counts and the segmenter used."""
    counts: Counter = Counter()
    for text in texts:
        counts.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text))
    try:
        import jieba
    except ImportError:
        counts.update(zh_terms_fallback(texts))
        method = "ngram"
    else:
        jieba.setLogLevel(60)
        for text in texts:
            counts.update(w for w in jieba.lcut(text) if re.fullmatch(r"[\u4e00-\u9fff]+", w))
        method = "jieba"
    bad = stop | STOP_ZH | STOP_EN
    return Counter({w: c for w, c in counts.items() if w not in bad and len(w) >= min_len}), method


def cjk_font_path() -> tuple[str | None, str | None]:
    """Name and file of an installed CJK font."""
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if f.name in CJK_FONTS:
            return f.name, f.fname
    return None, None


def draw_builtin(freqs: list[tuple[str, int]], out: Path, w: int, h: int, font: str | None) -> int:
    """Place words on an Archimedean spiral without overlaps; returns how many were placed."""
    import math

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(w / 100, h / 100), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(0, h)
    ax.axis("off")
    renderer = fig.canvas.get_renderer()
    top, placed, colours = freqs[0][1], [], plt.get_cmap("tab10").colors
    for i, (word, c) in enumerate(freqs):
        size = (10 + 50 * math.sqrt(c / top)) * min(w, h) / 600  # scale with the canvas
        t = ax.text(0, 0, word, fontsize=size, fontfamily=font or "sans-serif", ha="center", va="center",
                    color=colours[i % 10])
        bb = t.get_window_extent(renderer)
        bw, bh = bb.width + 4, bb.height + 2
        for step in range(3000):
            r, ang = 2.0 * math.sqrt(step) * 3, step * 0.35
            x, y = w / 2 + r * math.cos(ang), h / 2 + r * math.sin(ang) * h / w
            box = (x - bw / 2, y - bh / 2, x + bw / 2, y + bh / 2)
            inside = box[0] >= 0 and box[1] >= 0 and box[2] <= w and box[3] <= h
            if inside and not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                t.set_position((x, y))
                placed.append(box)
                break
        else:
            t.remove()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return len(placed)


def draw(freqs, out: Path, w: int, h: int) -> dict:
    """Render with the wordcloud package when present, else the built-in layout."""
    font, path = cjk_font_path()
    try:
        from wordcloud import WordCloud
    except ImportError:
        return {"renderer": "matplotlib", "placed": draw_builtin(freqs, out, w, h, font), "cjk_font": font}
    WordCloud(width=w, height=h, font_path=path, background_color="white",
              prefer_horizontal=0.95).generate_from_frequencies(dict(freqs)).to_file(str(out))
    return {"renderer": "wordcloud", "placed": len(freqs), "cjk_font": font}


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--column")
    ap.add_argument("--out")
    ap.add_argument("--table")
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--stopwords")
    ap.add_argument("--min-len", type=int, default=2)
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    stop = set(read_text(Path(a.stopwords))[0].split()) if a.stopwords else set()
    counts, method = count_words(load_texts(a.inputs, a.column), stop, a.min_len)
    if not counts:
        raise InputError("no words left to count after removing stop words")
    freqs = counts.most_common(a.top)
    result = {"segmenter": method, "distinct_words": len(counts), "top": freqs[:20]}
    if a.table:
        import pandas as pd

        pd.DataFrame(freqs, columns=["word", "count"]).to_csv(a.table, index=False, encoding="utf-8-sig")
        result["table"] = a.table
    if a.out:
        result.update(out=a.out, **draw(freqs, Path(a.out), a.width, a.height))
        if not result["cjk_font"]:
            result["warning"] = "no CJK font found: Chinese words may show as boxes (install Noto Sans CJK)"
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
