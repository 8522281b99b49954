"""Every entry of the data tables is checked against its own examples."""
import pytest

from extractors import vocab
from extractors.citations import find_citations

TYPE_EXAMPLES = [(d.type, ex) for d in vocab.doc_types() for ex in d.examples]
ISSUER_EXAMPLES = [(i.issuer, ex) for i in vocab.issuers() for ex in i.examples]


@pytest.mark.parametrize("doc_type,example", TYPE_EXAMPLES)
def test_type_examples(doc_type, example):
    got = find_citations(example)
    assert got, example
    assert got[0].doc_type == doc_type


@pytest.mark.parametrize("issuer,example", ISSUER_EXAMPLES)
def test_issuer_examples(issuer, example):
    got = find_citations(example)
    assert got, example
    assert issuer in (got[0].issuer or ""), (example, got[0].issuer)


@pytest.mark.parametrize("kind", ["site_markers", "end_markers", "end_title", "lines"])
def test_furniture_examples(kind):
    for pat, examples in vocab.furniture()[kind]:
        assert examples, pat.pattern
        for ex in examples:
            assert pat.search(ex), (pat.pattern, ex)


def test_provinces_cover_the_merger_table():
    ps = vocab.provinces()
    assert len(ps) == 63
    assert len({p.name_2025 for p in ps}) == 34
    assert {p.name_2025 for p in ps if p.name in ("Sóc Trăng", "Hậu Giang")} == {"Cần Thơ"}


def test_flag_context_examples():
    """Each pattern of what is no dated claim matches its examples (the text just before a date), and not a
    citation's own lead-in."""
    from pipeline.checks.dates import _not_a_claim
    entries = vocab.load("flag_context.yaml")["date_not_a_claim"]
    assert len(_not_a_claim()) == len(entries)
    for pat, entry in zip(_not_a_claim(), entries):
        assert entry["examples"], pat.pattern
        for ex in entry["examples"]:
            assert pat.search(ex), (pat.pattern, ex)
        for lead in ("Căn cứ Nghị định số 12/2020/NĐ-CP ", "Hà Nội, ", "Ngày "):
            assert not pat.search(lead), (pat.pattern, lead)
    codes = vocab.load("flag_context.yaml")["issuer_codes"]
    assert all(c.upper() in vocab.type_by_code() for c in codes)
