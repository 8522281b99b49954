"""Relations between the documents cited in one sentence: which one implements which.

``triển khai Chỉ thị số 43/CT-TTg … bằng việc ban hành Chỉ thị số 08/CT-UBND`` says 08/CT-UBND
implements 43/CT-TTg; so does ``ban hành Kế hoạch số 15/KH-STP … để triển khai Thông tư số …``.
Vocabulary in ``data/relations.yaml``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from . import vocab
from .models import Citation

RULE_FLAGS = regex.V1 | regex.IGNORECASE


@functools.cache
def relation_words() -> dict:
    return vocab.load("relations.yaml")


from .vocab import alternation
WORDS = relation_words()
IMPLEMENTING_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(WORDS['implementing'])})\s*$", RULE_FLAGS)
ISSUING_BEFORE = regex.compile(rf"(?<!\p{{L}})(?:{alternation(WORDS['issuing'])})\s*$", RULE_FLAGS)
PURPOSE_BETWEEN = regex.compile(rf"^[^.;]{{0,160}}?(?<!\p{{L}})(?:{alternation(WORDS['purpose'])})\s*$", RULE_FLAGS)
SENTENCE_BREAK = regex.compile(r"[.;!?](?:\s|$)")


@dataclass(frozen=True, slots=True)
class Link:
    """``implementer`` (an index into the citations) implements ``implemented``; the span covers both."""

    start: int
    end: int
    surface: str
    implementer: int
    implemented: int
    relation: str = "implements"


def find_implements(text: str, cites: list[Citation]) -> list[Link]:
    out = []
    numbered = [(i, c) for i, c in enumerate(cites) if c.ref]
    for k, (i, a) in enumerate(numbered):
        for j, b in numbered[k + 1:]:
            if b.start - a.end > 400 or SENTENCE_BREAK.search(text, a.end, b.start):
                break
            between = text[a.end:b.start]
            if IMPLEMENTING_BEFORE.search(text[max(0, a.start - 40):a.start]) and ISSUING_BEFORE.search(between[-40:]):
                out.append(Link(a.start, b.end, text[a.start:b.end], implementer=j, implemented=i))  # triển khai A … ban hành B
                break
            if PURPOSE_BETWEEN.search(between):
                out.append(Link(a.start, b.end, text[a.start:b.end], implementer=i, implemented=j))  # A … để triển khai B
                break
    return out
