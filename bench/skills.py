"""Skill selection latency: p50/p95 of SkillLibrary.match at the bundled count and at 5,000 skills.

Targets: p50 <= 2 ms at the bundled count, <= 20 ms at 5,000. Prints figures; never fails on time.
Run: .venv/bin/python bench/skills.py [--count 5000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xiaodazi.skills import SkillLibrary, SkillRoot, bundled_skills_dir  # noqa: E402

CASES = ROOT / "tests" / "skills" / "selection_cases.yaml"
EN_WORDS = ("file folder pdf word excel chart table web page news photo video audio invoice report contract "
            "email calendar budget tax travel code git backup rename merge split convert summary translate "
            "clean scan print search monitor compare encrypt compress schedule remind analyse plot").split()
ZH_WORDS = ("文件 文件夹 表格 图表 网页 新闻 照片 视频 音频 发票 报告 合同 邮件 日历 预算 个税 旅行 代码 "
            "备份 重命名 合并 拆分 转换 摘要 翻译 清洗 扫描 打印 搜索 监控 对比 加密 压缩 提醒 分析 画图").split()


def queries() -> list[str]:
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    return [c["text"] for c in data["cases"]] + list(data["small_talk"])


def generate(root: Path, count: int, seed: int = 7) -> None:
    """`count` synthetic skills with bilingual descriptions drawn from a shared vocabulary."""
    rng = random.Random(seed)
    for i in range(count):
        name = f"gen-{rng.choice(EN_WORDS)}-{i}"
        desc = " ".join(rng.choices(EN_WORDS, k=18)) + ". Use when " + " ".join(rng.choices(EN_WORDS, k=6)) + "."
        zh = "".join(rng.choices(ZH_WORDS, k=6))
        (root / name).mkdir()
        (root / name / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: {desc}\nmetadata:\n  group: files\n  name-zh: {zh[:6]}\n"
            f"  description-zh: {zh}\n  keywords: \"{' '.join(rng.choices(ZH_WORDS + EN_WORDS, k=5))}\"\n"
            f"---\n# {name}\nSteps.\n", encoding="utf-8")


def measure(library: SkillLibrary, texts: list[str], rounds: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of match() over every text, `rounds` times."""
    library.match("warm up the index", 3)
    samples = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            library.match(text, 3)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def report(label: str, library: SkillLibrary, texts: list[str], rounds: int, target: float) -> None:
    start = time.perf_counter()
    count = len(library.skills())
    load = (time.perf_counter() - start) * 1000
    p50, p95 = measure(library, texts, rounds)
    verdict = "within" if p50 <= target else "OVER"
    print(f"{label:>10}: {count:5d} skills  load {load:7.1f} ms  match p50 {p50:6.3f} ms  p95 {p95:6.3f} ms  "
          f"({verdict} the {target:g} ms p50 target)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = queries()
    print(f"{len(texts)} requests (labelled set plus small talk), top 3, rescan check included")
    bundled = SkillLibrary([SkillRoot(bundled_skills_dir(), "bundled")])
    report("bundled", bundled, texts, args.rounds, 2.0)
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), args.count)
        big = SkillLibrary([SkillRoot(bundled_skills_dir(), "bundled"), SkillRoot(Path(tmp), "user")])
        report("generated", big, texts, args.rounds, 20.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
