"""The learning-group skills: each catalogue 'offline test' run against the skill's own script."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script
from tests.skills_library.part3b_helpers import assert_skill_shape
from tests.support.scripted_llm import text, tool_call
from tests.tools.fixtures.agent import stream_answering

FIXTURES = Path(__file__).parent / "fixtures_part3b"
LEARNING = ["quiz-maker", "flashcard-deck", "study-planner", "math-solver", "vocab-builder", "essay-feedback",
            "paper-digest", "citation-formatter", "arithmetic-drills"]
QUIZ = {"title": "光合作用小测", "questions": [
    {"type": "single", "stem": "光合作用主要发生在", "options": ["线粒体", "叶绿体", "细胞核", "核糖体"], "answer": "B", "points": 5},
    {"type": "multiple", "stem": "光合作用的原料有", "options": ["水", "二氧化碳", "氧气", "葡萄糖"], "answer": ["A", "B"]},
    {"type": "truefalse", "stem": "暗反应不需要光反应的产物", "answer": False, "explanation": "需要ATP和NADPH"},
    {"type": "blank", "stem": "光合作用释放的气体是____", "answer": "氧气"},
    {"type": "short", "stem": "简述光反应和暗反应的关系", "answer": "光反应为暗反应提供ATP和NADPH"}]}


@pytest.mark.parametrize("name", LEARNING)
def test_learning_skill_names_its_script_and_has_both_examples(name):
    assert_skill_shape(name, "learning")


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# --- quiz-maker ---

def test_quiz_paper_and_separate_key_through_the_agent_loop(live, llm):
    quiz = json.dumps(QUIZ, ensure_ascii=False)
    args = ["build", "quiz.json", "--paper", "试卷.docx", "--key", "答案.docx", "--shuffle"]
    llm.add(tool_call("write_file", {"path": "quiz.json", "content": quiz}, id="w1"),
            tool_call("run_skill_script", {"skill": "quiz-maker", "script": "quiz.py", "args": args}, id="b1"),
            text("已生成试卷和答案。"))
    events, _ = stream_answering(live, "根据光合作用笔记出5道题，要答案", "allow_once")
    results = [d["output"] for n, d in events if n == "tool_result"]
    assert '"written": 5' in results[-1]
    paper, key = docx_text(live.settings.workspace / "试卷.docx"), docx_text(live.settings.workspace / "答案.docx")
    assert all(f"{n}. " in paper for n in range(1, 6)) and "叶绿体" in paper and "一、单项选择题" in paper
    assert "需要ATP和NADPH" not in paper and "需要ATP和NADPH" in key and "× 错误" in key


def test_quiz_check_catches_answers_outside_the_options_and_shuffle_keeps_keys(tmp_path):
    bad = {"questions": [{"type": "single", "stem": "x", "options": ["a", "b"], "answer": "C"},
                         {"type": "single", "stem": "y", "options": ["a", "b"], "answer": ["A", "B"]},
                         {"type": "truefalse", "stem": "z", "answer": "yes"}]}
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    out = run_script("quiz-maker", "quiz.py", "check", tmp_path / "bad.json", ok=False)
    assert len(out["problems"]) == 3
    import importlib.util

    spec = importlib.util.spec_from_file_location("quiz_skill", SKILLS / "quiz-maker" / "scripts" / "quiz.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    shuffled = mod.shuffle(json.loads(json.dumps(QUIZ)), seed=7)
    first = shuffled["questions"][0]
    assert first["options"][ord(first["answer"]) - 65] == "叶绿体"
    assert sorted(shuffled["questions"][1]["options"][ord(a) - 65] for a in shuffled["questions"][1]["answer"]) == ["二氧化碳", "水"]


# --- flashcard-deck ---

def test_word_list_becomes_one_card_per_item(tmp_path):
    out = run_script("flashcard-deck", "cards.py", FIXTURES / "words.txt", "--out", tmp_path / "deck.tsv", "--tags", "生物")
    assert out["cards"] == 5 and out["duplicates_dropped"] == 1 and out["skipped_lines"] == ["这一行没有分隔符"]
    lines = (tmp_path / "deck.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["#separator:Tab", "#html:false", "#tags column:3"]
    cards = [line.split("\t") for line in lines[3:]]
    assert [c[0] for c in cards] == ["abandon", "ability", "光合作用", "中国的首都是？", "mitochondria"]
    assert cards[3][1] == "北京" and all(c[2] == "生物" for c in cards)


# --- study-planner ---

def test_every_topic_is_learned_then_reviewed_after_1_3_and_7_days(tmp_path):
    out = run_script("study-planner", "plan.py", "--start", "2026-12-01", "--exam", "2026-12-31", "--topics", "函数",
                     "数列", "立体几何:2", "概率", "--rest", "周日", "--md", tmp_path / "plan.md", "--ics", tmp_path / "plan.ics")
    assert [t["topic"] for t in out["topics"]] == ["函数", "数列", "立体几何", "概率"]
    for t in out["topics"]:
        learned = date.fromisoformat(t["learn"][-1])
        for gap, review in zip((1, 3, 7), t["reviews"], strict=True):
            d = date.fromisoformat(review)
            assert learned + timedelta(gap) <= d <= learned + timedelta(gap + 1) and d.weekday() != 6, (t, gap)
            assert d < date(2026, 12, 31)
    ics = (tmp_path / "plan.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == len(out["days"]) and "DTSTART;VALUE=DATE:20261231" in ics
    assert (tmp_path / "plan.md").read_text(encoding="utf-8").count("- [ ] 复习") == 12
    tight = run_script("study-planner", "plan.py", "--start", "2026-12-01", "--exam", "2026-12-04", "--topics",
                       "a:3", "b:3", ok=False)
    assert "learning days needed" in tight["error"]


# --- math-solver (SymPy is declared by the skill) ---

def test_quadratic_roots_and_antiderivative_checked_by_differentiation(tmp_path):
    pytest.importorskip("sympy")
    roots = run_script("math-solver", "solve.py", "solve", "x^2-5x+6=0")
    assert sorted(s["text"] for s in roots["solutions"]) == ["2", "3"]
    right = run_script("math-solver", "solve.py", "check-antiderivative", "sin(x)^2/2", "sin(x)cos(x)")
    assert right["correct"] is True
    wrong = run_script("math-solver", "solve.py", "check-antiderivative", "x^3", "x^2", ok=False)
    assert wrong["correct"] is False and wrong["difference"]["text"] == "2*x**2"


# --- vocab-builder ---

def test_vocab_xlsx_columns_and_leitner_reviews(tmp_path):
    words = [{"word": "abandon", "phonetic": "/əˈbændən/", "pos": "v.", "meaning": "放弃", "example": "They abandoned the plan.",
              "example_zh": "他们放弃了计划。"}, {"word": "benevolent", "phonetic": "/bəˈnevələnt/", "pos": "adj.", "meaning": "仁慈的"},
             {"word": "candid"}]
    (tmp_path / "w.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    out = run_script("vocab-builder", "vocab.py", "xlsx", tmp_path / "w.json", "--out", tmp_path / "v.xlsx")
    assert out["words"] == 3 and out["incomplete"] == ["candid"]
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "v.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:7] == ("#", "单词", "音标", "词性", "释义", "例句", "例句翻译")
    assert rows[1][1:5] == ("abandon", "/əˈbændən/", "v.", "放弃") and len(rows) == 4
    progress = tmp_path / "progress.json"
    run_script("vocab-builder", "vocab.py", "review", "--progress", progress, "--today", "2026-12-01", "abandon:1", "benevolent:0")
    state = json.loads(progress.read_text(encoding="utf-8"))
    assert state["abandon"] == {"box": 2, "due": "2026-12-03", "seen": 1, "missed": 0}
    assert state["benevolent"]["box"] == 1 and state["benevolent"]["due"] == "2026-12-02"
    due = run_script("vocab-builder", "vocab.py", "due", "--progress", progress, "--today", "2026-12-02", "--words", tmp_path / "w.json")
    assert due["due"] == ["benevolent"] and due["new"] == ["candid"]


# --- essay-feedback ---

def test_essay_rubric_gives_a_score_per_criterion_in_a_word_table(tmp_path):
    essay = tmp_path / "essay.txt"
    essay.write_text("Technology changes how students learn. Many students use online courses.\n\n"
                     "However, technology can distract students. Students need balance.\n", encoding="utf-8")
    stats = run_script("essay-feedback", "essay.py", "stats", essay)
    assert stats["language"] == "en" and stats["words"] == 18 and stats["sentences"] == 4
    assert stats["paragraphs"] == 2 and stats["repeated_words"] == ["students"]
    preset = run_script("essay-feedback", "essay.py", "preset", "ielts")["rubric"]
    for c, score in zip(preset, (6.5, 6, 6, 6), strict=True):
        c.update(score=score, comment="ok")
    (tmp_path / "fb.json").write_text(json.dumps({"rubric": preset, "comments": ["Clear position."],
                                                  "corrections": [{"before": "a", "after": "b", "why": "c"}]}), encoding="utf-8")
    out = run_script("essay-feedback", "essay.py", "score", tmp_path / "fb.json", "--docx", tmp_path / "fb.docx")
    assert out["total"] == 24.5 and out["max"] == 36 and out["ielts_band_estimate"] == 6.0
    from docx import Document

    table = Document(tmp_path / "fb.docx").tables[0]
    assert len(table.rows) == 6 and [r.cells[1].text for r in table.rows[1:5]] == ["6.5", "6", "6", "6"]
    preset[0]["score"] = 10
    (tmp_path / "bad.json").write_text(json.dumps({"rubric": preset}), encoding="utf-8")
    assert "outside" in run_script("essay-feedback", "essay.py", "score", tmp_path / "bad.json", ok=False)["error"]


# --- paper-digest ---

def test_paper_sections_found_and_one_row_per_paper(tmp_path):
    from tests.skills_library.pdfmaker import make_pdf

    lines = ["Sparse Attention for Long Documents", "Abstract", "We study long inputs.", "1 Introduction",
             "Long documents are hard.", "2 Method", "We use sparse attention.", "3 Results", "Accuracy rose by 4 points.",
             "4 Conclusion", "Sparse works.", "References", "[1] A. B. Paper one.", "[2] C. D. Paper two."]
    make_pdf(tmp_path / "paper.pdf", [[(50, 800 - 20 * i, t) for i, t in enumerate(lines)]])
    out = run_script("paper-digest", "paper.py", "sections", tmp_path / "paper.pdf")
    assert out["title"] == "Sparse Attention for Long Documents" and out["missing"] == []
    assert out["sections"]["method"] == "We use sparse attention." and out["reference_count"] == 2
    assert all(out["sections"][k] for k in ("abstract", "introduction", "results", "conclusion"))
    digests = [{"title": f"Paper {i}", "year": 2020 + i, "question": "q", "method": "m", "results": "r" if i else ""}
               for i in range(3)]
    (tmp_path / "d.json").write_text(json.dumps(digests), encoding="utf-8")
    table = run_script("paper-digest", "paper.py", "table", tmp_path / "d.json", "--out", tmp_path / "t.xlsx")
    assert table["rows"] == 3 and table["incomplete"] == {"Paper 0": ["results"]}
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "t.xlsx").active.max_row == 4


# --- citation-formatter ---

def test_bibtex_to_exact_gbt7714_and_apa_strings(tmp_path):
    gb = run_script("citation-formatter", "cite.py", FIXTURES / "refs.bib", "--style", "gbt7714")["references"]
    assert gb == ["[1] SMITH J, DOE A B. Deep Learning for Cats[J]. Journal of AI, 2020, 12(3): 45-67. "
                  "DOI:10.1000/jai.2020.3.",
                  "[2] 王小明, 李华, 张伟, 等. 机器学习导论[M]. 北京: 高等教育出版社, 2019."]
    apa = run_script("citation-formatter", "cite.py", FIXTURES / "refs.bib", "--style", "apa", "--markdown")["references"]
    assert apa[0] == ("Smith, J., & Doe, A. B. (2020). Deep Learning for Cats. *Journal of AI*, *12*(3), 45–67. "
                      "https://doi.org/10.1000/jai.2020.3")
    ieee = run_script("citation-formatter", "cite.py", FIXTURES / "refs.bib", "--style", "ieee")["references"]
    assert ieee[0] == "[1] J. Smith and A. B. Doe, \u201cDeep Learning for Cats,\u201d Journal of AI, vol. 12, no. 3, pp. 45–67, 2020."
    (tmp_path / "m.txt").write_text("如文献[1]所示，另见[3]。", encoding="utf-8")
    check = run_script("citation-formatter", "cite.py", FIXTURES / "refs.bib", "--check", tmp_path / "m.txt", ok=False)
    assert check["citations"] == {"style": "numeric", "cited_not_listed": [3], "listed_not_cited": [2]}


# --- arithmetic-drills ---

def test_hundred_generated_problems_are_correct_and_within_range(tmp_path):
    out = run_script("arithmetic-drills", "drills.py", "generate", "--kind", "mixed", "--max", "20", "--count", "100",
                     "--out", tmp_path / "p.json", "--docx", tmp_path / "口算.docx")
    assert out["count"] == 100
    for p in out["problems"]:
        a, op, b, _ = p["text"].split(" ")
        x, y = int(a), int(b)
        value = {"+": x + y, "−": x - y, "×": x * y, "÷": Fraction(x, y) if y else None}[op]
        assert value == p["answer"] and 0 <= p["answer"] <= 20 and 0 <= x <= 20 and 0 <= y <= 20, p
    assert (tmp_path / "口算_答案.docx").exists() and "1. " in docx_text(tmp_path / "口算.docx")
    answers = [str(p["answer"]) for p in out["problems"]]
    answers[4] = "999"
    marked = run_script("arithmetic-drills", "drills.py", "mark", tmp_path / "p.json", *answers)
    assert marked["correct"] == 99 and marked["wrong"][0]["no"] == 5 and marked["score_pct"] == 99.0


def test_fraction_answers_are_in_lowest_terms_and_equal_forms_are_accepted(tmp_path):
    out = run_script("arithmetic-drills", "drills.py", "generate", "--kind", "fraction", "--count", "30",
                     "--out", tmp_path / "f.json")
    for p in out["problems"]:
        a, op, b, _ = p["text"].split(" ")
        assert Fraction(p["answer"]) == (Fraction(a) + Fraction(b) if op == "+" else Fraction(a) - Fraction(b)) >= 0
    first = Fraction(out["problems"][0]["answer"])
    doubled = f"{first.numerator * 2}/{first.denominator * 2}"
    assert run_script("arithmetic-drills", "drills.py", "mark", tmp_path / "f.json", doubled)["correct"] == 1
