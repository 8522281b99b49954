"""The ``vanban`` command: a thin layer over :mod:`pipeline.run`."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .load import StoreError
from .run import DocResult, iter_files, run as run_archive

DEFAULT_DB = Path("data/processed/vanban.duckdb")
DEFAULT_RAW = Path("data/raw")

app = typer.Typer(
    add_completion=False, no_args_is_help=True, rich_markup_mode=None,
    help="vanban: Vietnamese administrative documents into DuckDB.\n\n"
         "Example:\n\n  vanban run data/raw --db data/processed/vanban.duckdb")
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """vanban: Vietnamese administrative documents into DuckDB."""
out = Console()


@app.command(help="Read every document under PATH... and load metadata, citations and figures (counts, "
                  "staffing, budget, deadlines) into the database.\n\n"
                  "Example:\n\n  vanban run data/raw --db data/processed/vanban.duckdb\n\n"
                  "Running it again on the same files changes nothing; changed files replace their old rows.")
def run(paths: list[Path] = typer.Argument(None, help="Files or folders (default: data/raw)."),
        db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to write."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary.")) -> None:
    paths = paths or [DEFAULT_RAW]
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"[yellow]{p}: no such file or folder[/yellow]")
    files = list(iter_files([p for p in paths if p.exists()]))
    if not files:
        err.print("[red]no input files found[/red]")
        raise typer.Exit(2)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, disable=quiet or not err.is_terminal, transient=True)

    def on_doc(r: DocResult) -> None:
        if r.status != "ok" and not r.skipped:
            progress.console.print(f"{r.path}: {r.status}: {r.error}", markup=False, highlight=False, soft_wrap=True)
        progress.advance(task)

    try:
        with progress:
            task = progress.add_task("reading", total=len(files))
            summary = run_archive(paths, db, on_doc=on_doc, files=files)
    except StoreError as e:
        err.print(f"error: {e}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if not quiet:
        _print_summary(summary.results, db)
    if summary.n_ok == 0:
        raise typer.Exit(1)


def _print_summary(results: list[DocResult], db: Path) -> None:
    import duckdb

    by = Counter((r.status, r.format) for r in results)
    t = Table(title=f"documents ({len(results)} files, {sum(r.skipped for r in results)} unchanged)")
    t.add_column("status"); t.add_column("format"); t.add_column("files", justify="right")
    for (status, fmt), n in sorted(by.items()):
        t.add_row(status, fmt, str(n))
    out.print(t)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT doc_type, count(*) n, count(cited_date) dated FROM citations "
                           "WHERE doc_id IN (SELECT doc_id FROM documents) GROUP BY 1 ORDER BY 2 DESC").fetchall()
        figures = con.execute(FIGURES_BY_PROVINCE).fetchall()
    finally:
        con.close()
    c = Table(title="citations by type")
    c.add_column("type"); c.add_column("mentions", justify="right"); c.add_column("with date", justify="right")
    for typ, n, dated in rows:
        c.add_row(typ or "?", str(n), str(dated))
    out.print(c)
    f = Table(title="figures by province")
    for name, justify in [("province", "left"), ("staff (totals)", "right"), ("part-time (stated)", "right"),
                          ("budget in text", "right"), ("budget in tables", "right"), ("deadlines", "right"),
                          ("counts", "right")]:
        f.add_column(name, justify=justify)
    for row in figures:
        f.add_row(row[0] or "?", *(_fmt(v) for v in row[1:]))
    out.print(f)


FIGURES_BY_PROVINCE = """
WITH d AS (SELECT doc_id, province FROM documents),
s AS (SELECT doc_id, sum(count) FILTER (WHERE parent_id IS NULL) staff,
             sum(coalesce(part_time, CASE WHEN category = 'kiêm nhiệm' THEN count END)) part
      FROM staffing GROUP BY 1),
b AS (SELECT doc_id, count(*) FILTER (WHERE NOT in_table) n_text, count(*) FILTER (WHERE in_table) n_table
      FROM budget GROUP BY 1),
l AS (SELECT doc_id, count(*) n FROM deadlines GROUP BY 1),
c AS (SELECT doc_id, count(*) n FROM counts GROUP BY 1)
SELECT d.province, sum(s.staff), sum(s.part), sum(b.n_text), sum(b.n_table), sum(l.n), sum(c.n)
FROM d LEFT JOIN s USING (doc_id) LEFT JOIN b USING (doc_id) LEFT JOIN l USING (doc_id) LEFT JOIN c USING (doc_id)
GROUP BY 1 ORDER BY 1 NULLS LAST
"""


def _fmt(v) -> str:
    return "" if v is None else f"{int(v):,}".replace(",", ".")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: documents loaded so far are kept")
        sys.exit(130)


if __name__ == "__main__":
    main()
