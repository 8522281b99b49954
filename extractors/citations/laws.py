"""Hiến pháp, Bộ luật, Luật and Pháp lệnh cited by name ('Luật Đất đai', 'Luật sửa đổi, bổ sung một
số điều của Luật Đầu tư công' with the amended law nested inside it)."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import patterns as P
from .. import vocab
from ..starts import finditer_at, law_starts
from ..vocab import WS

CONSTITUTION_TAIL = regex.compile(r"(?:(?<!\s)\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam)?(?:(?<!\s)\s+năm\s+\d{4})?",
                                  regex.V1 | regex.I)
FIRST_WORD = regex.compile(r"(?P<w>[\p{L}\d][\p{L}\d\-]*)")
CAPS_NEXT = regex.compile(r"(?<!\s)\s+[\p{Lu}\d]")   # matched right after a law word (from a run's start only)
LAW_TYPES = {"hiến pháp": "Hiến pháp", "bộ luật": "Bộ luật", "luật": "Luật", "pháp lệnh": "Pháp lệnh"}


@dataclass(frozen=True, slots=True)
class NamedLaw:
    start: int
    end: int
    word: str                  # the type word as written ('Luật', 'BỘ LUẬT')
    name: str
    nested: bool = False

    @property
    def doc_type(self) -> str:
        return law_type(self.word)

    @property
    def issuer(self) -> str:
        return "Ủy ban Thường vụ Quốc hội" if self.doc_type == "Pháp lệnh" else "Quốc hội"


def law_type(word: str) -> str:
    return LAW_TYPES[WS.sub(" ", word).lower()]


@functools.cache
def _names_by_start() -> dict[str, tuple[tuple[int, str], ...]]:
    """The known law names in lower case, longest first, by their first two characters (every name
    has at least two): a name is compared only with the texts that start like it."""
    out: dict[str, list[tuple[int, str]]] = {}
    for name in vocab.law_names():
        out.setdefault(name.lower()[:2], []).append((len(name), name.lower()))
    return {k: tuple(v) for k, v in out.items()}


def _name_after(text: str, pos: int) -> int:
    """End of a law's name that starts at ``pos`` (just after 'Luật '); ``pos`` if there is none."""
    rest = text[pos:pos + 200]
    low = rest.lower()
    for n, name in _names_by_start().get(low[:2], ()):
        if low[:n] == name and (n == len(rest) or not rest[n].isalnum()):
            return pos + n
    first = FIRST_WORD.match(rest)
    if not first:
        return pos
    w = first.group("w")
    if not (w[0].isupper() or w.isupper()):
        return pos
    end = pos + first.end()
    words = 1
    while words < 12:
        m = P.NAME_WORD.match(text, end)
        if not m or "\n\n" in m.group():
            break
        wd = m.group("w")
        if wd.lower() in P.NAME_STOP or wd.isdigit() or (w.isupper() and not wd.isupper()):
            break
        end = m.end()
        words += 1
    return end


def _sentence_case(name: str, caps: bool) -> str:
    if not caps:
        return name
    low = name.lower()
    return low[:1].upper() + low[1:]


def _constitution(text: str, m) -> list[NamedLaw]:
    pos = m.end()
    end = pos + CONSTITUTION_TAIL.match(text[pos:]).end()
    return [NamedLaw(m.start(), end, m.group("w"), "Hiến pháp" + WS.sub(" ", text[pos:end]))]


def _amending(text: str, m, caps: bool) -> list[NamedLaw]:
    """'Luật sửa đổi, bổ sung … Luật X': the amending law, and X nested inside it; [] if X has no name."""
    am = P.AMENDING.match(text, m.end())
    inner = P.LAW_WORD.match(text, am.end()) if am else None
    if not inner:
        return []
    inner_end = _name_after(text, inner.end() + 1)
    if inner_end <= inner.end() + 1:
        return []
    name = WS.sub(" ", text[m.start():inner_end])
    return [NamedLaw(m.start(), inner_end, m.group("w"), _sentence_case(name, caps)),
            NamedLaw(inner.start(), inner_end, inner.group("w"),
                     _sentence_case(WS.sub(" ", text[inner.start():inner_end]), caps), nested=True)]


def _plain(text: str, m, caps: bool) -> list[NamedLaw]:
    pos = m.end()
    start_name = pos + (len(text[pos:]) - len(text[pos:].lstrip()))
    end = _name_after(text, start_name)
    if end <= start_name:
        return []
    name = WS.sub(" ", text[m.start():end]).rstrip(" ,.;:-")
    return [NamedLaw(m.start(), end, m.group("w"), _sentence_case(name, caps))]


def named_laws(text: str) -> list[NamedLaw]:
    out: list[NamedLaw] = []
    for m in finditer_at(P.LAW_WORD, text, law_starts(text)):
        caps = m.group("w").isupper()
        # in upper-case text, only in an upper-case run (a heading), so 'LUẬT' in running text is skipped
        if caps and not CAPS_NEXT.match(text[m.end():m.end() + 3]):
            continue
        if law_type(m.group("w")) == "Hiến pháp":
            out += _constitution(text, m)
        else:
            out += _amending(text, m, caps) or _plain(text, m, caps)
    # a law named inside another law's name is dropped unless marked nested
    return [law for law in out
            if law.nested or not any(o is not law and not o.nested and o.start < law.start < o.end for o in out)]
