"""The extractors as spaCy pipeline components.

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vanban_citations")
    doc = nlp("Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ")
    doc.spans["citations"][0]._.citation.ref   # '59/2012/NĐ-CP'

Registered through the ``spacy_factories`` entry point in pyproject.toml, so ``add_pipe`` finds
it once vanban is installed.  The component runs on ``doc.text`` as given; for raw PDF or web
text, normalize it first with ``pipeline.normalize.normalize``.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .citations import find_citations

if not Span.has_extension("citation"):
    Span.set_extension("citation", default=None)


class CitationComponent:
    def __init__(self, nlp: Language, name: str, spans_key: str = "citations"):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for c in find_citations(doc.text):
            span = doc.char_span(c.start, c.end, label=c.doc_type, alignment_mode="expand")
            if span is None:
                continue
            span._.citation = c
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory("vanban_citations", default_config={"spans_key": "citations"})
def make_citation_component(nlp: Language, name: str, spans_key: str) -> CitationComponent:
    return CitationComponent(nlp, name, spans_key)
