"""Issue 12: the analyst's cases (tests/unit/data/figure_cases.yaml, sentences written for these tests),
one per cause of figures_analysis.md, and the examples of the kind vocabulary (vocab/budget_kinds.yaml).

Only the keys a case lists are asserted.  The schema has two roles, ``total`` and ``leaf``: a case's
``subtotal`` is a ``total`` whose parent is the grand total.  Cases the extractors do not meet yet
are listed in ``OPEN`` with the reason, and fail the suite when they start to pass (strict xfail).
"""
from pathlib import Path

import pytest
import yaml

from extractors.figures import find_budget, find_counts, find_deadlines, find_staffing
from extractors.figures.budget import kind_words, money_kind
from extractors.figures.context import WORDS

CASES = yaml.safe_load((Path(__file__).parent / "data" / "figure_cases.yaml").read_text(encoding="utf-8"))["cases"]
OPEN = {
    "dl-question-repeat": "a deadline repeated in a question ('… hay không?') is still a row",
}


def _rows(case):
    text = case["text"]
    if case["table"] == "budget":
        return [dict(amount_min=b.min_vnd, amount_max=b.max_vnd, per=b.per, kind=b.kind, approx=b.approx,
                     in_table=b.in_table, role=b.role, level=b.level, parent=b.parent) for b in find_budget(text)]
    if case["table"] == "staffing":
        return [dict(count=s.count, kind=s.kind, unit=s.unit, level=s.level, category=s.category,
                     full_time=s.full_time, part_time=s.part_time, parent=s.parent) for s in find_staffing(text)]
    if case["table"] == "deadlines":
        return [dict(due_date=d.due_date.isoformat() if d.due_date else None, precision=d.precision,
                     recurring=d.recurring) for d in find_deadlines(text)]
    return [dict(value=c.value, unit=c.unit) for c in find_counts(text)]


def _expected(case):
    return [{k: ("total" if k == "role" and v == "subtotal" else v) for k, v in e.items()} for e in case["expected"]]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(reason=OPEN[c["id"]], strict=True)]
                                               if c["id"] in OPEN else []) for c in CASES])
def test_figure_case(case):
    got, want = _rows(case), _expected(case)
    if case["table"] == "counts":   # counts: the listed rows are found (other counts may stand beside them)
        for w in want:
            assert any(all(g.get(k) == v for k, v in w.items()) for g in got), (w, got)
        if not want:
            assert got == [], got
        return
    assert len(got) == len(want), (got, want)
    for g, w in zip(got, want):
        assert {k: g[k] for k in w if k in g} == {k: v for k, v in w.items() if k in g}, (g, w)


KIND_EXAMPLES = [(kind, t["w"], ex) for kind, spec in kind_words()["kinds"].items()
                 for t in spec["triggers"] for ex in t["ex"]]


@pytest.mark.parametrize("kind,word,sentence", KIND_EXAMPLES, ids=[f"{k}:{w}:{i}" for i, (k, w, _) in enumerate(KIND_EXAMPLES)])
def test_kind_vocabulary_examples(kind, word, sentence):
    """Each trigger's example gives its kind to the amount it names."""
    amounts = find_budget(sentence)
    assert amounts, sentence
    assert kind in {a.kind for a in amounts}, [(a.surface, a.kind) for a in amounts]


@pytest.mark.parametrize("text", WORDS["deadlines"]["not_examples"])
def test_deadline_not_examples(text):
    assert find_deadlines(text) == []


@pytest.mark.parametrize("text", WORDS["staffing"]["not_examples"])
def test_staffing_not_examples(text):
    assert find_staffing(text) == []


def test_level_never_from_xa_hoi():
    (b,) = find_budget("Tổng vốn đầu tư xã hội trên địa bàn dự kiến 270.000 tỷ đồng.")
    assert (b.kind, b.level) == ("indicator", None)


def test_product_total_links_its_rate():
    rows = find_budget("Kinh phí 20 triệu đồng/năm x 5 năm = 100 triệu đồng.")
    assert [(r.min_vnd, r.role, r.parent) for r in rows] == [(20_000_000, "leaf", 1), (100_000_000, "total", None)]


def test_text_total_is_parent_of_its_breakdown():
    rows = find_budget("Tổng kinh phí 26.811 tỷ đồng, trong đó: chi cân đối 21.049 tỷ đồng, chi từ nguồn trung ương 5.762 tỷ đồng.")
    assert [(r.role, r.parent) for r in rows] == [("total", None), ("leaf", 0), ("leaf", 0)]


def test_range_with_under_is_one_row():
    (b,) = find_budget("Phạt tiền từ 10 triệu đồng đến dưới 50 triệu đồng.")
    assert (b.min_vnd, b.max_vnd, b.kind) == (10_000_000, 50_000_000, "price")


@pytest.mark.parametrize("entry", kind_words()["not_triggers"], ids=lambda e: e["w"])
def test_not_trigger_examples(entry):
    """Words that look like a trigger and are not one ('giá hiện hành' is no price) leave the right kind."""
    (b,) = find_budget(entry["ex"])
    assert b.kind == entry["kind"], (entry, b.kind)


RULE_EXAMPLES = [(sec, e) for sec in ("cap_before", "rule_before", "threshold_before", "exchange_before", "old_money", "fine_after",
                                   "receipt_before", "threshold_alone", "gift")
                 for e in kind_words()[sec]["ex"]]


@pytest.mark.parametrize("section,entry", RULE_EXAMPLES, ids=[f"{s}:{i}" for i, (s, _) in enumerate(RULE_EXAMPLES)])
def test_kind_rule_examples(section, entry):
    """The rules read before an amount (a cap, a criminal rule, a criterion, an exchange rate, old money) give the
    kind their examples say, and leave their counter-examples alone."""
    (b,) = find_budget(entry["ex"])
    assert b.kind == entry["kind"], (section, entry, b.kind)


def test_per_only_trigger_needs_a_per():
    """'trợ cấp' is a norm beside a per ('… đồng/tháng'), not when a sum is paid out ('chi trợ cấp 10 tỷ đồng')."""
    assert [b.kind for b in find_budget("Người cao tuổi nhận trợ cấp 360.000 đồng/tháng.")] == ["rate"]
    assert [b.kind for b in find_budget("Huyện đã chi trợ cấp 10 tỷ đồng cho người dân.")] == ["budget"]
