"""The ``vanban`` command: a thin layer over :mod:`pipeline.run`."""
from __future__ import annotations

import datetime as dt
import numbers
import sys
from collections import Counter
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .checks import CatalogError
from .store import StoreError, connect, connect_read
from .ingest.read import OCR_MODES
from .ingest.sources import iter_sources
from .run import DocResult, Options, run as run_archive

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
out = Console(width=None if sys.stdout.isatty() else 160)  # a pipe or a file gets wide rows


@app.command(help="Read every document under PATH... and load metadata, citations and figures (counts, "
                  "staffing, budget, deadlines) into the database.\n\n"
                  "Example:\n\n  vanban run data/raw --db data/processed/vanban.duckdb\n\n"
                  "Running it again on the same files changes nothing; changed files replace their old rows.")
def run(paths: list[Path] = typer.Argument(None, help="Files or folders (default: data/raw)."),
        db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to write."),
        catalog: list[Path] = typer.Option([], "--catalog", help="Extra catalog CSV (type,ref,issue_date,issuer,title) of real dates."),
        workers: int = typer.Option(0, "--workers", "-j", help="Processes reading files (default: all cores)."),
        prune: bool = typer.Option(False, "--prune", help="Delete documents whose file is gone from under PATH."),
        batch: int = typer.Option(64, "--batch", help="Documents per transaction."),
        ocr: str = typer.Option("auto", "--ocr", help="auto: OCR pages without a (readable) text layer | always | never. "
                                                       "Needs tesseract-ocr and tesseract-ocr-vie."),
        timeout: float = typer.Option(300, "--timeout", help="Seconds one file may take before it is stopped (0: no limit)."),
        executor: str = typer.Option("local", "--executor", help="local | dask"),
        scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (default: start a LocalCluster)."),
        parquet_dir: Path = typer.Option(None, "--parquet-dir", help="Where the dask executor writes Parquet (default: next to --db)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary.")) -> None:
    if executor not in ("local", "dask"):
        _fail(ValueError(f"--executor must be local or dask, not {executor!r}"))
    if ocr not in OCR_MODES:
        _fail(ValueError(f"--ocr must be one of {', '.join(OCR_MODES)}, not {ocr!r}"))
    paths = paths or [DEFAULT_RAW]
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        err.print(f"[yellow]{p}: no such file or folder[/yellow]")
    files = list(iter_sources([p for p in paths if p.exists()]))
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
            summary = run_archive(paths, db, on_doc=on_doc, files=files, catalog_files=catalog, workers=workers or None,
                                  prune=prune, executor=executor, scheduler=scheduler, parquet_dir=parquet_dir,
                                  batch_docs=max(1, batch), options=Options(ocr, timeout or None))
    except (StoreError, CatalogError) as e:
        err.print(f"error: {e}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if not quiet:
        _print_summary(summary.results, db)
        skipped = sum(r.skipped for r in summary.results)
        out.print(f"files: {len(summary.results) - skipped} read, {skipped} unchanged", markup=False, highlight=False)
        if summary.pruned:
            out.print(f"pruned: {summary.pruned} documents whose file is gone", markup=False)
        flags = ", ".join(f"{k} {n}" for k, n in summary.flags.most_common()) or "none"
        out.print(f"flags: {sum(summary.flags.values())} ({flags}); list them with: vanban flags --db {db}",
                  markup=False, highlight=False, soft_wrap=True)
    if summary.n_ok == 0:
        raise typer.Exit(1)


def _print_summary(results: list[DocResult], db: Path) -> None:
    by = Counter((r.status, r.format) for r in results)
    t = Table(title=f"documents ({len(results)} files, {sum(r.skipped for r in results)} unchanged)")
    t.add_column("status"); t.add_column("format"); t.add_column("files", justify="right")
    for (status, fmt), n in sorted(by.items()):
        t.add_row(status, fmt, str(n))
    out.print(t)
    from . import report
    con = connect_read(db)
    try:
        rows = report.citations_by_type(con)
        figures = report.figures_by_province(con)
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




def _fmt(v) -> str:
    return "" if v is None else f"{int(v):,}".replace(",", ".")


@app.command(help="Write a realistic archive with its ground truth (OUT/raw, OUT/gold).\n\n"
                  "Example:\n\n  vanban synth --docs 2000 --out /tmp/archive --seed 7")
def synth(docs: int = typer.Option(..., "--docs", help="How many documents."),
          out_dir: Path = typer.Option(..., "--out", help="Folder to write (raw/ and gold/ inside)."),
          seed: int = typer.Option(0, "--seed", help="Same seed, same archive."),
          inconsistent: float = typer.Option(0.1, "--inconsistent", help="Chance of each planted inconsistency."),
          provinces: Optional[int] = typer.Option(None, "--provinces", help="Only this many provinces (several reports each a year)."),
          years: Optional[str] = typer.Option(None, "--years", help="Only documents dated in these years, e.g. 2023-2024.")) -> None:
    from .synth import synth as write_archive
    span = None
    if years:
        try:
            first, _, last = years.partition("-")
            span = (int(first), int(last or first))
        except ValueError:
            _fail(ValueError(f"--years must be YEAR or YEAR-YEAR, not {years!r}"))
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, disable=not err.is_terminal, transient=True)
    try:
        with progress:
            task = progress.add_task("writing", total=docs)
            files = write_archive(docs, out_dir, seed=seed, plant_rate=inconsistent, provinces=provinces, years=span,
                                  on_file=lambda _: progress.advance(task))
    except OSError as e:
        _fail(ValueError(f"{out_dir}: cannot write ({e.strerror or e})"))
    by = Counter(f.suffix.lstrip(".") for f in files)
    out.print(f"wrote {len(files)} documents ({', '.join(f'{n} {k}' for k, n in sorted(by.items()))}) to {out_dir / 'raw'}, "
              f"ground truth in {out_dir / 'gold'}", markup=False, highlight=False)


FORMATS = ("table", "csv", "json")


def _emit(frame, fmt: str, title: str | None = None, wide: tuple[str, ...] = ()) -> None:
    """A DataFrame as a rich table, CSV or JSON lines on stdout."""
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False, date_format="iso", lines=True))
    else:
        t = Table(title=title)
        for col in frame.columns:
            t.add_column(str(col), overflow="fold", ratio=3 if col in wide else None,
                         justify="right" if frame[col].dtype.kind in "iuf" else "left")
        for row in frame.itertuples(index=False):
            t.add_row(*("" if _missing(v) else _cell(v) for v in row))
        out.print(t)


def _missing(v) -> bool:
    import pandas as pd
    return not isinstance(v, (list, tuple, dict)) and bool(pd.isna(v))


def _cell(v) -> str:
    """Integers the Vietnamese way (1.500.000.000), shares as written."""
    if isinstance(v, numbers.Real) and not isinstance(v, (bool, numbers.Integral)) and float(v).is_integer():
        v = int(v)
    if isinstance(v, numbers.Integral) and not isinstance(v, bool):
        return f"{int(v):,}".replace(",", ".")
    return str(v)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        err.print(f"error: --format must be one of {', '.join(FORMATS)}, not {fmt!r}", markup=False)
        raise typer.Exit(2)


def _fail(e: Exception) -> None:
    err.print(f"error: {e}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command(help="Recompute the consistency flags (after a change of catalog or rules; 'vanban run' does it "
                  "after every load).\n\n"
                  "Example:\n\n  vanban check --catalog my_catalog.csv")
def check(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          catalog: list[Path] = typer.Option([], "--catalog", help="Extra catalog CSV (type,ref,issue_date,issuer,title) of real dates."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary.")) -> None:
    from .checks import compute_flags
    if not db.exists():
        _fail(StoreError(f"{db}: no such database (run 'vanban run' first)"))
    try:
        con = connect(db)
        try:
            counts = compute_flags(con, catalog)
        finally:
            con.close()
    except (StoreError, CatalogError) as e:
        _fail(e)
    if not quiet:
        out.print(f"flags: {sum(counts.values())} ({', '.join(f'{k} {n}' for k, n in sorted(counts.items())) or 'none'})",
                  markup=False, highlight=False)


@app.command(help="List the consistency flags (computed by 'vanban run' and 'vanban check'; the database is "
                  "opened read-only).\n\n"
                  "Example:\n\n  vanban flags --kind citation_date_conflict --province 'An Giang' --format csv")
def flags(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          kind: str = typer.Option(None, "--kind", help="Only this kind (citation_date_conflict, catalog_date_mismatch, …)."),
          province: str = typer.Option(None, "--province", help="Only documents of this province (as written or after the merger)."),
          fmt: str = typer.Option("table", "--format", help="table | csv | json"),
          evidence: bool = typer.Option(False, "--evidence", help="Add the evidence column (the sentence, the other documents).")) -> None:
    from . import report
    from .checks import RULES
    _check_format(fmt)
    if kind and kind not in RULES:
        _fail(ValueError(f"--kind must be one of {', '.join(RULES)}, not {kind!r}"))
    try:
        con = connect_read(db)
        try:
            frame = report.list_flags(con, kind, province)
        finally:
            con.close()
    except StoreError as e:
        _fail(e)
    cols = ["kind", "severity", "file", "province", "ref", "message"] + (["evidence"] if evidence else [])
    _emit(frame if fmt != "table" else frame[cols], fmt, title=f"flags ({len(frame)})", wide=("message", "evidence"))


@app.command(help="Compare provinces on one metric.\n\n"
                  "Example:\n\n  vanban compare --by province_2025 --metric staffing --until 2025-06-30 --province 'Ca Mau' --format csv")
def compare(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
            by: str = typer.Option("province", "--by", help="province (as written) | province_2025 (after the 1 July 2025 merger)"),
            metric: str = typer.Option("staffing", "--metric", help="staffing | budget | citations | flags"),
            year: Optional[int] = typer.Option(None, "--year", help="Only documents of this year."),
            since: Optional[dt.datetime] = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="Only documents dated on or after (YYYY-MM-DD)."),
            until: Optional[dt.datetime] = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Only documents dated on or before (YYYY-MM-DD): staffing as of that date."),
            province: Optional[list[str]] = typer.Option(None, "--province", help="A province (accents and case ignored); repeat for several."),
            fmt: str = typer.Option("table", "--format", help="table | csv | json")) -> None:
    from . import report
    _check_format(fmt)
    selection = report.Selection(year=year, since=since.date() if since else None, until=until.date() if until else None,
                                 provinces=tuple(province or ()))
    try:
        con = connect_read(db)
        try:
            frame = report.compare(con, by, metric, selection)
        finally:
            con.close()
    except (StoreError, ValueError) as e:
        _fail(e)
    _emit(frame, fmt, title=f"{metric} by {by}")


@app.command(help="Run one SQL query on the database (read only).\n\n"
                  "Example:\n\n  vanban query \"SELECT province, count(*) FROM documents GROUP BY 1\" --format csv")
def query(sql: str = typer.Argument(..., help="The SQL to run."),
          db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          fmt: str = typer.Option("table", "--format", help="table | csv | json")) -> None:
    from . import report
    _check_format(fmt)
    try:
        con = connect_read(db)
        try:
            frame = report.run_query(con, sql)
        finally:
            con.close()
    except (StoreError, report.QueryError) as e:
        _fail(e)
    _emit(frame, fmt)




@app.command(help="Write every table and view as Parquet, one file each.\n\n"
                  "Example:\n\n  vanban export --to data/processed/parquet")
def export(to: Path = typer.Option(..., "--to", help="Folder to write (created if missing)."),
           db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file.")) -> None:
    from . import report
    try:
        to.mkdir(parents=True, exist_ok=True)
        con = connect_read(db)
        try:
            written = report.export_parquet(con, to)
        finally:
            con.close()
    except StoreError as e:
        _fail(e)
    except OSError as e:
        _fail(ValueError(f"{to}: cannot write ({e.strerror or e})"))
    out.print(f"wrote {len(written)} Parquet files to {to}", markup=False, highlight=False)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: documents loaded so far are kept")
        sys.exit(130)


if __name__ == "__main__":
    main()
