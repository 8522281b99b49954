"""The HTML reader: the main text of a saved page (trafilatura), else the page without its head,
scripts and furniture."""
from __future__ import annotations

from .raw import ReadError
from .text import decode_text


def read_html(data: bytes) -> list[str]:
    import trafilatura
    from lxml import html as lxml_html

    text = decode_text(data)
    body = trafilatura.extract(text, include_tables=True, include_comments=False, favor_recall=True,
                               include_formatting=False, deduplicate=False)
    if not body:
        try:
            tree = lxml_html.fromstring(text)
        except Exception:  # lxml raises several kinds on broken markup
            raise ReadError("unreadable", "HTML could not be parsed")
        for bad in tree.xpath("//head|//script|//style|//nav|//header|//footer"):
            bad.drop_tree()
        body = tree.text_content() if tree is not None else ""
    return [body or ""]
