"""The document text as HTML: every span a ``<mark>`` carrying its kind and offsets, everything else escaped.

Spans may nest (a flag over a citation) or cross; a span that crosses one already opened is cut at its
edge, and each piece carries ``data-piece``.  Citations go first at equal offsets, so each citation is
one whole mark whose text is its surface.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from html import escape

PRIORITY = {"citation": 0, "flag": 1, "staffing": 2, "budget": 2, "deadline": 2, "count": 2}


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    attrs: tuple = field(default=())   # (name, value) pairs written as data-* / title / id
    piece: bool = False

    def key(self):
        return (self.start, -self.end, PRIORITY.get(self.kind, 3))


def _open(s: Span) -> str:
    attrs = "".join(f' {escape(k)}="{escape(str(v))}"' for k, v in s.attrs if v not in (None, ""))
    piece = ' data-piece="1"' if s.piece else ""
    return f'<mark data-kind="{escape(s.kind)}" data-char-start="{s.start}" data-char-end="{s.end}"{piece}{attrs}>'


def render(text: str, spans: list[Span]) -> str:
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    return _render(text, 0, len(text), spans)


def _render(text: str, lo: int, hi: int, spans: list[Span]) -> str:
    out, pos = [], lo
    spans = sorted(spans, key=Span.key)
    while spans:
        s = spans.pop(0)
        children, rest = [], []
        for t in spans:
            if t.start >= s.end:
                rest.append(t)
            elif t.end <= s.end:
                children.append(t)
            else:   # crosses s's end: the part inside goes in, the rest waits
                children.append(replace(t, end=s.end, piece=True))
                rest.append(replace(t, start=s.end, piece=True, attrs=tuple(a for a in t.attrs if a[0] != "id")))
        out.append(escape(text[pos:s.start]))
        out.append(_open(s) + _render(text, s.start, s.end, children) + "</mark>")
        pos = s.end
        spans = sorted(rest, key=Span.key)
    out.append(escape(text[pos:hi]))
    return "".join(out)
