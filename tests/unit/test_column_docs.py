"""README's column tables name exactly the columns of their table spec (pipeline/store/column_docs.py)."""
from pathlib import Path

from pipeline.store import column_docs
from pipeline.store.tables import ARCHIVE_TABLES, CITATIONS, DEADLINES

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

DEADLINE_TABLE = """**deadlines** — dates by which something is due.

| column | meaning |
|---|---|
| doc_id, seq | the document and the deadline's order in it |
| due_date, precision | the date |
| recurring | yearly |
| what, who | the clause |

after the table
"""


def test_readme_column_tables_match_the_specs():
    assert column_docs.differences(README) == []


def test_every_table_with_a_column_table_in_readme_is_checked():
    assert {"documents", "citations", "staffing", "budget", "deadlines"} <= set(column_docs.column_tables(README))
    assert {t.name for t in ARCHIVE_TABLES} <= set(column_docs.column_tables(README))


def test_the_columns_the_graph_computes_are_columns_of_citations():
    assert ["cited_province", "cited_doc_id", "link_note"] == column_docs.spec_columns()["citations"][-3:]
    # the role of a mention is read at extraction and written with the citation
    assert "relation" in CITATIONS.columns


def test_a_column_the_readme_lacks_is_reported_and_rendered_as_a_row_to_describe():
    lacking = DEADLINE_TABLE.replace("| recurring | yearly |\n", "")
    assert column_docs.differences(lacking) == ["deadlines: README lacks ['recurring'], names [] that the table does not have"]
    assert "| recurring | (to describe) |\n\nafter the table" in column_docs.rendered(lacking)


def test_a_column_the_spec_does_not_have_is_reported_and_dropped_from_its_row():
    extra = DEADLINE_TABLE.replace("| what, who |", "| what, who, whom |")
    assert column_docs.differences(extra) == ["deadlines: README lacks [], names ['whom'] that the table does not have"]
    assert column_docs.rendered(extra) == DEADLINE_TABLE


def test_figure_tables_leave_the_shared_where_columns_to_the_citations_table():
    assert "char_start" not in column_docs.spec_columns()["deadlines"]
    assert "char_start" in column_docs.spec_columns()["citations"]
    assert column_docs.spec_columns()["deadlines"] == [c for c in DEADLINES.columns if c not in column_docs.SHARED_WHERE]
