"""The DOCX reader: paragraphs and table rows in body order (cells joined by ' | '), footnote markers
as superscripts, footnotes at the end."""
from __future__ import annotations

import io
import zipfile

from extractors.vocab import SUPERSCRIPT_DIGITS

from .raw import ReadError
from .zipsafe import check_zip

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> list[str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(data, "DOCX")
    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile, ValueError) as e:
        raise ReadError("unreadable", f"not a readable DOCX ({type(e).__name__})")
    lines: list[str] = []
    for block in d.element.body.iterchildren():
        if block.tag == _W + "p":
            lines.append(_para_text(block))
        elif block.tag == _W + "tbl":
            for row in block.iter(_W + "tr"):
                cells = [" ".join(_para_text(p) for p in tc.iter(_W + "p")).strip() for tc in row.iter(_W + "tc")]
                lines.append(" | ".join(cells) if any(cells) else "")
    notes = _docx_footnotes(d)
    if notes:
        lines.append("")
        lines.extend(notes)
    return ["\n".join(lines)]


def _para_text(p) -> str:
    out = []
    for node in p.iter():
        if node.tag == _W + "t" and node.text:
            out.append(node.text)
        elif node.tag in (_W + "tab",):
            out.append("\t")
        elif node.tag in (_W + "br", _W + "cr"):
            out.append("\n")
        elif node.tag == _W + "footnoteReference":
            out.append(str(node.get(_W + "id")).translate(SUPERSCRIPT_DIGITS))
    return "".join(out)


def _docx_footnotes(d) -> list[str]:
    from lxml import etree

    for rel in d.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob)
            notes = []
            for fn in root.iter(_W + "footnote"):
                fid = fn.get(_W + "id")
                if fid is None or int(fid) <= 0:
                    continue  # separators
                text = " ".join(_para_text(p) for p in fn.iter(_W + "p")).strip()
                if text:
                    notes.append(f"{fid} {text}")
            return notes
    return []
