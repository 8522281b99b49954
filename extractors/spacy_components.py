"""The extractors as spaCy pipeline components: citations, figures, deadlines, metadata spans.

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vanban_citations")
    doc = nlp("Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ")
    doc.spans["citations"][0]._.citation.ref   # '59/2012/NĐ-CP'

Registered through the ``spacy_factories`` entry point in pyproject.toml, so ``add_pipe`` finds
them once vanban is installed.  The component runs on ``doc.text`` as given; for raw PDF or web
text, normalize it first with ``pipeline.normalize.normalize``.
"""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

for _ext in ("citation", "figure", "deadline", "field"):
    if not Span.has_extension(_ext):
        Span.set_extension(_ext, default=None)


class SpanComponent:
    """Runs one extractor on ``doc.text`` and keeps its results as ``doc.spans[spans_key]``, each
    span labelled by ``label(result)`` with the result in ``span._.<extension>``."""

    def __init__(self, name: str, spans_key: str, find: Callable[[str], list], label: Callable, extension: str):
        self.name, self.spans_key, self.find, self.label, self.extension = name, spans_key, find, label, extension

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for item in self.find(doc.text):
            span = doc.char_span(item.start, item.end, label=self.label(item), alignment_mode="expand")
            if span is None:
                continue
            setattr(span._, self.extension, item)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


def _citations(text: str) -> list:
    from .citations import find_citations
    return find_citations(text)


def _figures(text: str) -> list:
    from .document import extract
    ex = extract(text)
    return sorted([*ex.budget, *ex.staffing, *ex.counts], key=lambda f: (f.start, f.end))


def _deadlines(text: str) -> list:
    from .figures import find_deadlines
    return find_deadlines(text)


class _Field:
    """A metadata field found at a span (``ref``, ``issue_date`` …)."""

    def __init__(self, name: str, span, value):
        self.name, self.start, self.end, self.value = name, span.start, span.end, value


def _metadata(text: str) -> list:
    from .metadata import extract_metadata
    meta = extract_metadata(text)
    return sorted((_Field(k, s, getattr(meta, k, None)) for k, s in meta.spans.items()), key=lambda f: f.start)


@Language.factory("vanban_citations", default_config={"spans_key": "citations"})
def make_citation_component(nlp: Language, name: str, spans_key: str) -> SpanComponent:
    return SpanComponent(name, spans_key, _citations, lambda c: c.doc_type, "citation")


@Language.factory("vanban_figures", default_config={"spans_key": "figures"})
def make_figure_component(nlp: Language, name: str, spans_key: str) -> SpanComponent:
    return SpanComponent(name, spans_key, _figures, lambda f: type(f).__name__.lower(), "figure")


@Language.factory("vanban_deadlines", default_config={"spans_key": "deadlines"})
def make_deadline_component(nlp: Language, name: str, spans_key: str) -> SpanComponent:
    return SpanComponent(name, spans_key, _deadlines, lambda d: d.precision or "recurring", "deadline")


@Language.factory("vanban_metadata", default_config={"spans_key": "metadata"})
def make_metadata_component(nlp: Language, name: str, spans_key: str) -> SpanComponent:
    return SpanComponent(name, spans_key, _metadata, lambda f: f.name, "field")
