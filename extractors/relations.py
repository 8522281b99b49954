"""Relations between the documents cited in one sentence: which one implements which, from the role
each mention has (:func:`extractors.citation_roles.roles`, the same roles ``citations.relation`` stores).

``triển khai Chỉ thị số 43/CT-TTg … bằng việc ban hành Chỉ thị số 08/CT-UBND`` says 08/CT-UBND
implements 43/CT-TTg; so does ``ban hành Kế hoạch số 15/KH-STP … để triển khai Thông tư số …``.
Vocabulary (``purpose``, ``issuing``, ``link_examples``) in ``vocab/citation_roles.yaml``.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Sequence

import regex

from .citation_roles import Mention, Role, roles, role_words, supersessions
from .citations import ref_key
from .models import Citation
from .sentences import sentence
from .vocab import alternation

RULE_FLAGS = regex.V1 | regex.IGNORECASE
IMPLEMENTING = ("implements", "guides")
SENTENCE_BREAK = regex.compile(r"[.;!?](?:\s|$)")
REACH = 400   # at most this many characters between the two mentions
NEAR = 40     # and between the role word and the mention it covers, with no other mention between


@functools.cache
def _patterns() -> tuple[regex.Pattern, regex.Pattern]:
    words = role_words()
    purpose = regex.compile(rf"^[^.;]{{0,160}}?(?<!\p{{L}})(?:{alternation(words['purpose'])})$", RULE_FLAGS)
    issuing = regex.compile(rf"(?<!\p{{L}})(?:{alternation(words['issuing'])})\s*$", RULE_FLAGS)
    return purpose, issuing


@dataclass(frozen=True, slots=True)
class Link:
    """``implementer`` (an index into the citations) implements ``implemented``; the span covers both."""

    start: int
    end: int
    surface: str
    implementer: int
    implemented: int
    relation: str = "implements"


@dataclass(frozen=True, slots=True)
class Statement:
    """The document states that citation ``target`` (an index into the citations) is replaced, repealed or
    amended by citation ``by`` (None: the document itself), from ``since``; ``sentence`` is where it says so."""

    start: int
    end: int
    target: int
    by: int | None
    relation: str        # replaced | repealed | amended
    since: dt.date | None
    sentence: str


@dataclass(frozen=True, slots=True)
class Relations:
    roles: list[Role]              # one per citation, in the order of the citations
    links: list[Link]
    statements: list[Statement]


def find_relations(text: str, cites: list[Citation]) -> Relations:
    """What each citation does in its sentence, which one implements which, and what the document says
    replaces, repeals or amends what.  The roles and the statements are read with the mentions in the order
    they stand in the text (by start, then by index), as ``citations.relation`` was read from the database."""
    mentions = [Mention(c.start, c.end, c.ref, c.article is not None) for c in cites]
    order = sorted(range(len(cites)), key=lambda i: (cites[i].start, i))
    in_text = [mentions[i] for i in order]
    found_in_text = roles(text, in_text)
    found: list[Role] = [None] * len(cites)   # type: ignore[list-item]
    for p, i in enumerate(order):
        found[i] = found_in_text[p]
    own = found if order == list(range(len(cites))) else roles(text, mentions)   # the links read the list order
    statements = [Statement(s.start, s.end, order[s.target], None if s.by is None else order[s.by], s.relation, s.since,
                            sentence(text, s.start, s.end))
                  for s in supersessions(text, in_text, found_in_text)]
    return Relations(found, implements(text, mentions, own), statements)


def find_implements(text: str, cites: list[Citation]) -> list[Link]:
    return find_relations(text, cites).links


def implements(text: str, mentions: Sequence[Mention], found: Sequence[Role]) -> list[Link]:
    """The pairs of one sentence where one cited document implements another: a mention whose role is
    ``implements`` or ``guides`` (its role word right before it) is implemented by the mention before the role word
    when the words between end in a purpose phrase ('A … để triển khai B'), else by the first mention after it
    that an issuing word stands right before ('triển khai A … bằng việc ban hành B')."""
    purpose, issuing = _patterns()
    numbered = [k for k, m in enumerate(mentions) if m.ref]
    out = []
    key = {k: ref_key(mentions[k].ref) for k in numbered}
    for n, j in enumerate(numbered):
        b, r = mentions[j], found[j]
        if (r.role not in IMPLEMENTING or r.start >= b.start or b.start - r.end > NEAR
                or any(r.end <= m.start < b.start for m in mentions)):
            continue   # the role word stands right before this mention, not before one listed earlier
        before = [i for i in numbered[:n] if mentions[i].end <= r.start and key[i] != key[j]]   # never itself
        if before:
            a = mentions[before[-1]]
            if (b.start - a.end <= REACH and not SENTENCE_BREAK.search(text, a.end, b.start)
                    and purpose.match(text[a.end:r.end])):
                out.append(Link(a.start, b.end, text[a.start:b.end], implementer=before[-1], implemented=j))
                continue
        for i in numbered[n + 1:]:
            a = mentions[i]
            if a.start - b.end > REACH or SENTENCE_BREAK.search(text, b.end, a.start):
                break
            if key[i] != key[j] and issuing.search(text, max(b.end, a.start - 40), a.start):
                out.append(Link(b.start, a.end, text[b.start:a.end], implementer=i, implemented=j))
                break
    return out
