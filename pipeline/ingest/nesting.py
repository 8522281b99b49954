"""HTML nested deeper than a parser takes: container tags past a depth are dropped, their text kept.

libxml2 (under lxml and trafilatura) stops at a nesting depth of 256, and a page of 100,000 nested
``<div>`` then yields no text at all (``empty``).  Browsers draw such a page as its text; so does
this: the wrapper tags below ``MAX_DEPTH`` go, with their closing tags, in one linear pass.
"""
from __future__ import annotations

import re

MAX_DEPTH = 100
# tags that only wrap other content (dropping one changes no text)
_CONTAINER = re.compile(r"<(/?)(div|span|section|article|main|font|center|blockquote|aside)\b[^>]*>", re.I)


def flatten_deep_nesting(html: str, limit: int = MAX_DEPTH) -> str:
    """``html`` with every container tag nested deeper than ``limit`` (and its closing tag) removed."""
    out, last, kept = [], 0, []   # kept: one flag per open container, was its tag kept?
    for m in _CONTAINER.finditer(html):
        closing = m.group(1) == "/"
        if closing:
            keep = kept.pop() if kept else True
        else:
            keep = len(kept) < limit
            kept.append(keep)
        if not keep:
            out.append(html[last:m.start()])
            last = m.end()
    if last == 0:
        return html   # nothing nested that deep: the page as it was
    out.append(html[last:])
    return "".join(out)
