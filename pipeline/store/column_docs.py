"""README's column tables, rendered from the table specs: each ``| column | meaning |`` table under
``**name** —`` in README.md names exactly its table's columns (several may share a row:
``| ref, number, year, symbol | … |``).  The meanings are written in README; which columns there
are comes from :mod:`pipeline.store.tables` (and ``DOCUMENT_COLUMNS``).

``python -m pipeline.store.column_docs [README.md]`` rewrites the tables: a column the spec no
longer has leaves its row, a new column gets a row to describe; ``--check`` only says what differs
(tests/unit/test_column_docs.py runs it).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from . import DOCUMENT_COLUMNS
from .tables import ARCHIVE_TABLES, TABLES, WHERE_COLUMNS

HEADER = "| column | meaning |\n|---|---|\n"
TODO = "(to describe)"
# the columns of where a row was read from are described once, in the citations table
SHARED_WHERE = {c for c, _ in WHERE_COLUMNS}
TABLE_TITLE = re.compile(r"^\*\*(?P<name>\w+)\*\* — ", re.M)


def spec_columns() -> dict[str, list[str]]:
    """Per table, the columns its README table must name."""
    out = {"documents": list(DOCUMENT_COLUMNS)}
    for t in TABLES:
        out[t.name] = [c for c in t.all_columns if t.name == "citations" or c not in SHARED_WHERE]
    for a in ARCHIVE_TABLES:
        out[a.name] = a.columns
    return out


def column_tables(readme: str) -> dict[str, tuple[int, int]]:
    """Where each table's column table stands in README (start and end offsets of its rows)."""
    titles = list(TABLE_TITLE.finditer(readme))
    out = {}
    for i, m in enumerate(titles):
        section_end = titles[i + 1].start() if i + 1 < len(titles) else len(readme)
        at = readme.find(HEADER, m.end(), section_end)
        if at < 0:
            continue
        start = end = at + len(HEADER)
        while readme.startswith("|", end):
            end = readme.index("\n", end) + 1
        out[m.group("name")] = (start, end)
    return out


def _rows(block: str) -> list[tuple[list[str], str]]:
    rows = []
    for line in block.splitlines():
        cells, meaning = line[2:].split(" | ", 1)
        rows.append(([c.strip() for c in cells.split(",")], meaning))
    return rows


def render(rows: list[tuple[list[str], str]], columns: list[str]) -> str:
    """The table's rows for ``columns``: the written meanings kept, a row added for a column none names."""
    named = {c for cols, _ in rows for c in cols}
    lines = []
    for cols, meaning in rows:
        kept = [c for c in cols if c in columns]
        if kept:
            lines.append(f"| {', '.join(kept)} | {meaning}")
    lines += [f"| {c} | {TODO} |" for c in columns if c not in named]
    return "".join(line + "\n" for line in lines)


def rendered(readme: str) -> str:
    """README with every column table rendered from its spec."""
    wanted = spec_columns()
    for name, (start, end) in sorted(column_tables(readme).items(), key=lambda kv: -kv[1][0]):
        if name in wanted:
            readme = readme[:start] + render(_rows(readme[start:end]), wanted[name]) + readme[end:]
    return readme


def differences(readme: str) -> list[str]:
    """One line per table whose README column table does not name exactly its columns."""
    wanted = spec_columns()
    out = []
    for name, (start, end) in column_tables(readme).items():
        if name not in wanted:
            continue
        named = [c for cols, _ in _rows(readme[start:end]) for c in cols]
        missing = [c for c in wanted[name] if c not in named]
        extra = [c for c in named if c not in wanted[name]]
        if missing or extra or len(named) != len(set(named)):
            out.append(f"{name}: README lacks {missing}, names {extra} that the table does not have"
                       + (", names a column twice" if len(named) != len(set(named)) else ""))
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    path = Path(paths[0] if paths else "README.md")
    readme = path.read_text(encoding="utf-8")
    if check:
        problems = differences(readme)
        print("\n".join(problems) or "README's column tables match the table specs")
        return 1 if problems else 0
    path.write_text(rendered(readme), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
