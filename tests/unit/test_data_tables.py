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
