"""The ``vanban`` command: a thin layer over :mod:`pipeline.run`."""
from __future__ import annotations

import contextlib
import datetime as dt
import sys
from enum import Enum
from collections import Counter
from pathlib import Path
from typing import Optional

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .ingest.raw import OCR_MODES
from .output import Format, Lang, label
from .store import StoreError, connect, connect_read
from .store.outputs import OutputError
from .ingest.sources import iter_sources, source_path
from .run import DocResult, Options, run as run_archive


class Executor(str, Enum):
    local = "local"
    dask = "dask"


By = Enum("By", {n: n for n in ("province", "province_2025")}, type=str)
OcrMode = Enum("OcrMode", {n: n for n in OCR_MODES}, type=str)
Metric = Enum("Metric", {n: n for n in ("staffing", "budget", "citations", "flags")}, type=str)

DEFAULT_DB = Path("data/processed/vanban.duckdb")
LANG_HELP = "Labels of the table output and summary: vi (Vietnamese, the default) or en (English)."
DEFAULT_RAW = Path("data/raw")

app = typer.Typer(
    add_completion=True, no_args_is_help=True, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="vanban: Vietnamese administrative documents into DuckDB.\n\n"
         "Example:\n\n  vanban run data/raw --db data/processed/vanban.duckdb")
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version
        print(f"vanban {version('vanban')}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """vanban: Vietnamese administrative documents into DuckDB."""
out = Console(width=None if sys.stdout.isatty() else 160)  # a pipe or a file gets wide rows


@app.command(help="Read every document under PATH... and load metadata, citations and figures (counts, "
                  "staffing, budget, deadlines) into the database.\n\n"
                  "Example:\n\n  vanban run data/raw --db data/processed/vanban.duckdb\n\n"
                  "Running it again on the same files changes nothing; changed files replace their old rows.")
def run(paths: list[str] = typer.Argument(None, help="Files or folders (default: data/raw)."),
        db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file to write."),
        catalog: list[Path] = typer.Option([], "--catalog", help="Extra catalog CSV (type,ref,issue_date,issuer,title) of real dates."),
        workers: int = typer.Option(None, "--workers", "-j", min=1, show_default=False, help="Processes reading files [default: all cores]."),
        prune: bool = typer.Option(False, "--prune", help="Delete documents whose file is gone from under PATH."),
        batch: int = typer.Option(256, "--batch", help="Documents per transaction."),
        ocr: OcrMode = typer.Option("auto", "--ocr", help="auto: OCR pages without a (readable) text layer | always | never. "
                                                       "Needs tesseract-ocr and tesseract-ocr-vie."),
        timeout: float = typer.Option(300, "--timeout", help="Seconds one file may take before it is stopped (0: no limit)."),
        executor: Executor = typer.Option(Executor.local, "--executor", help="Where files are read."),
        scheduler: str = typer.Option(None, "--scheduler", help="Dask scheduler address (default: start a LocalCluster)."),
        parquet_dir: Path = typer.Option(None, "--parquet-dir", help="Where the dask executor writes Parquet (default: next to --db)."),
        include_articles: bool = typer.Option(False, "--include-articles", help="Also apply the checks that need a document's own "
                                                                                "date (cited_after_citing) to portal articles and pages without a header."),
        retry_failed: bool = typer.Option(False, "--retry-failed", help="Read again every file whose row is not ok "
                                                                         "(timeouts and crashed workers are always retried)."),
        rules: Path = typer.Option(None, "--rules", help="A folder of .sql rule files (remembered by the database)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
        lang: Lang = typer.Option(Lang.vi, "--lang", help=LANG_HELP)) -> None:
    executor = executor.value
    ocr = OcrMode(ocr).value
    if timeout < 0:
        _fail(ValueError(f"--timeout must be 0 (no limit) or more seconds, not {timeout:g}"))
    if batch < 1:
        _fail(ValueError(f"--batch must be at least 1, not {batch}"))
    for c in catalog:
        _check_catalog(c)
    paths = [Path(p) for p in paths] if paths else [DEFAULT_RAW]   # typed str: typer checks a Path per argument (~0,1 s for 3.500)
    exists = [p.exists() for p in paths]
    for p, there in zip(paths, exists):
        if not there:
            err.print(f"[yellow]{p}: no such file or folder[/yellow]")
    own = [db, db.with_name(db.name + ".wal")]   # the database inside the archive folder is no document
    files = list(iter_sources([p for p, there in zip(paths, exists) if there or p.is_symlink()], exclude=own))
    if not files:
        err.print("[red]no input files found[/red]")
        raise typer.Exit(2)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("{task.fields[eta]}"),
                        console=err, disable=quiet or not err.is_terminal, transient=True, refresh_per_second=4)
    pace = _Pace(len(files), lang)
    shown = not progress.disable   # no bar (quiet, or not a terminal): nothing to advance for each file

    def on_doc(r: DocResult) -> None:
        if r.status != "ok" and not r.skipped:
            progress.console.print(f"{source_path(r.path)}: {r.status}: {r.error}", markup=False, highlight=False, soft_wrap=True)
        if shown:
            progress.advance(task)
            progress.update(task, **pace.done_one())

    def on_stage(stage: str) -> None:   # a spinner with its label while no file is counted
        if stage == "reading":
            progress.start_task(task)   # the clock, the rate and the ETA run from the first file
        progress.update(task, description=label(lang, {"flags": "flags_stage"}.get(stage, stage)))

    if rules is not None:
        _remember_rules(db, rules)
    try:
        with progress:
            task = progress.add_task(label(lang, "loading"), total=len(files), start=False, rate="", eta="")
            summary = run_archive(paths, db, on_doc=on_doc, files=files, catalog_files=catalog, workers=workers or None,
                                  prune=prune, executor=executor, scheduler=scheduler, parquet_dir=parquet_dir,
                                  batch_docs=max(1, batch), options=Options(ocr, timeout or None),
                                  retry_failed=retry_failed, include_articles=include_articles, on_stage=on_stage)
    except KeyboardInterrupt:   # Ctrl-C or SIGTERM: whole batches are kept
        err.print("interrupted: documents loaded so far are kept; run the same command again to finish", markup=False)
        raise typer.Exit(130)
    except (StoreError, OutputError, *_flag_errors()) as e:
        err.print(f"error: {e}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    except RuntimeError as e:   # Ctrl-C inside a DuckDB statement arrives as 'Query interrupted'
        if "interrupted" not in str(e).lower():
            raise
        err.print("interrupted: documents loaded so far are kept; run the same command again to finish", markup=False)
        raise typer.Exit(130)
    if not quiet:
        _print_summary(summary.results, db, lang, summary.flags)
        skipped = sum(r.skipped for r in summary.results)
        out.print(label(lang, "files_line", read=_fmt(len(summary.results) - skipped), unchanged=_fmt(skipped)),
                  markup=False, highlight=False)
        if summary.pruned:
            out.print(label(lang, "pruned_line", n=_fmt(summary.pruned)), markup=False)
        out.print(label(lang, "flags_line", n=_fmt(sum(summary.flags.values())), db=db,
                        kinds=", ".join(f"{k} {_fmt(n)}" for k, n in summary.flags.most_common()) or label(lang, "none")),
                  markup=False, highlight=False, soft_wrap=True)
    if summary.n_ok == 0:
        raise typer.Exit(1)


MAX_CATALOG_BYTES = 64 * 2**20


def _check_catalog(path: Path) -> None:
    """A catalog is a regular, readable, reasonably small CSV file (not a FIFO, a device or a folder)."""
    import stat as stat_
    try:
        st = path.stat()
    except OSError as e:
        _fail(ValueError(f"{path}: cannot read catalog ({e.strerror or e})"))
    if not stat_.S_ISREG(st.st_mode):
        _fail(ValueError(f"{path}: cannot read catalog (not a regular file)"))
    if st.st_size > MAX_CATALOG_BYTES:
        _fail(ValueError(f"{path}: cannot read catalog ({st.st_size // 2**20} MB, limit {MAX_CATALOG_BYTES // 2**20} MB)"))


class _Pace:
    """Rate and time left of the progress line, from the first file on (nothing before it)."""

    def __init__(self, total: int, lang: Lang):
        import time
        self.total, self.lang, self.clock, self.first, self.n = total, lang, time.monotonic, None, 0

    def done_one(self) -> dict[str, str]:
        self.n += 1
        now = self.clock()
        if self.first is None:
            self.first = now
            return {"rate": "", "eta": ""}
        rate = (self.n - 1) / max(now - self.first, 1e-6)   # files after the first, over the time since it
        left = (self.total - self.n) / rate
        return {"rate": label(self.lang, "rate", r=f"{rate:.1f}".replace(".", ",")),
                "eta": label(self.lang, "eta", t=f"{int(left) // 60}:{int(left) % 60:02d}")}


def _print_summary(results: list[DocResult], db: Path, lang: Lang = Lang.vi, flags: Counter | None = None) -> None:
    by = Counter((r.status, r.format) for r in results)
    t = Table(title=label(lang, "documents", n=_fmt(len(results)), unchanged=_fmt(sum(r.skipped for r in results))))
    t.add_column(label(lang, "status")); t.add_column(label(lang, "format")); t.add_column(label(lang, "files"), justify="right")
    for (status, fmt), n in sorted(by.items()):
        t.add_row(Text(status), Text(fmt), _fmt(n))
    out.print(t)
    from . import report
    try:
        con = connect_read(db)
    except StoreError as e:   # another process took the database the moment the run released it
        err.print(label(lang, "summary_skipped", e=e), markup=False, highlight=False, soft_wrap=True)
        return
    try:
        rows = report.citations_by_type(con)
        figures = report.figures_by_province(con)
        n_docs = report.count_documents(con)
    finally:
        con.close()
    c = Table(title=label(lang, "citations"))
    c.add_column(label(lang, "type")); c.add_column(label(lang, "mentions"), justify="right")
    c.add_column(label(lang, "with_date"), justify="right")
    for typ, n, dated in rows:
        c.add_row(Text(typ or "?"), _fmt(n), _fmt(dated))
    out.print(c)
    f = Table(title=label(lang, "figures"))
    for key, justify in [("province", "left"), ("staff", "right"), ("part_time", "right"), ("budget_text", "right"),
                         ("budget_tables", "right"), ("deadlines", "right"), ("counts", "right")]:
        f.add_column(label(lang, key), justify=justify)
    for row in figures:
        f.add_row(Text(row[0] or "?"), *(_fmt(v) for v in row[1:]))
    out.print(f)
    if flags:   # issue 11: how often each kind is raised, per 1,000 documents of the database
        k = Table(title=label(lang, "flag_kinds", docs=_fmt(n_docs)))
        k.add_column(label(lang, "kind")); k.add_column(label(lang, "n_flags"), justify="right")
        k.add_column(label(lang, "per_1000"), justify="right")
        for kind, n in flags.most_common():
            k.add_row(Text(kind), _fmt(n), per_1000(n, n_docs))
        out.print(k)


def per_1000(n: int, docs: int) -> str:
    """``n`` per 1,000 of ``docs``, one decimal, Vietnamese notation (``12,5``)."""
    return f"{1000 * n / docs:.1f}".replace(".", ",") if docs else ""


def _fmt(v) -> str:
    return "" if v is None else f"{int(v):,}".replace(",", ".")


@app.command(help="Write a realistic archive with its ground truth (OUT/raw, OUT/gold).\n\n"
                  "Example:\n\n  vanban synth --docs 2000 --out /tmp/archive --seed 7")
def synth(docs: int = typer.Option(..., "--docs", min=0, help="How many documents."),
          out_dir: Path = typer.Option(..., "--out", help="Folder to write (raw/ and gold/ inside)."),
          seed: int = typer.Option(0, "--seed", help="Same seed, same archive."),
          inconsistent: float = typer.Option(0.1, "--inconsistent", min=0, max=1, help="Chance of each planted inconsistency."),
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


def _emit(frame, fmt, title: str | None = None) -> None:
    """A DataFrame in any output format (through DuckDB, like the query command)."""
    con = duckdb.connect()
    try:
        _write(con, con.from_df(frame), Format(fmt), title=title)
    finally:
        con.close()


def _flag_errors() -> tuple[type[Exception], type[Exception]]:
    """A catalog or a rule file that cannot be used (imported when one is raised: an unchanged re-run
    never loads the rules and their vocabulary)."""
    from .checks import CatalogError
    from .checks.graph import RulesError
    return CatalogError, RulesError


@contextlib.contextmanager
def _database(db: Path, *expected: type[Exception], write: bool = False):
    """The database of one command: opened (read-only unless ``write``), always closed, and a
    StoreError or one of the ``expected`` errors of the command reported as one line."""
    try:
        con = (connect if write else connect_read)(db)
        try:
            yield con
        finally:
            con.close()
    except (StoreError, *expected) as e:
        _fail(e)


def _fail(e: Exception) -> None:
    for i, line in enumerate(str(e).splitlines() or [""]):
        err.print(f"error: {line}" if i == 0 else line, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.command(help="Recompute the consistency flags (after a change of catalog or rules; 'vanban run' does it "
                  "after every load).\n\n"
                  "Example:\n\n  vanban check --catalog my_catalog.csv")
def check(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          catalog: list[Path] = typer.Option([], "--catalog", help="Extra catalog CSV (type,ref,issue_date,issuer,title) of real dates."),
          rules: Path = typer.Option(None, "--rules", help="A folder of .sql rule files (remembered by the database)."),
          include_articles: bool = typer.Option(False, "--include-articles", help="Also apply the checks that need a document's own "
                                                                                  "date (cited_after_citing) to portal articles and pages without a header."),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary."),
          lang: Lang = typer.Option(Lang.vi, "--lang", help=LANG_HELP)) -> None:
    from .checks import compute_flags
    for c in catalog:
        _check_catalog(c)
    if not db.exists():
        _fail(StoreError(f"{db}: no such database (run 'vanban run' first)"))
    if rules is not None:
        _remember_rules(db, rules)
    with _database(db, *_flag_errors(), write=True) as con:
        counts = compute_flags(con, catalog, include_articles=include_articles)
    if not quiet:
        out.print(label(lang, "flags_line", n=_fmt(sum(counts.values())), db=db,
                        kinds=", ".join(f"{k} {_fmt(n)}" for k, n in sorted(counts.items())) or label(lang, "none")),
                  markup=False, highlight=False, soft_wrap=True)


@app.command(help="List the consistency flags (computed by 'vanban run' and 'vanban check'; the database is "
                  "opened read-only).\n\n"
                  "Example:\n\n  vanban flags --kind citation_date_conflict --province 'An Giang' --format csv")
def flags(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          kind: str = typer.Option(None, "--kind", help="Only this kind (citation_date_conflict, catalog_date_mismatch, …)."),
          province: str = typer.Option(None, "--province", help="Only documents of this province (as written or after the merger)."),
          fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
          evidence: bool = typer.Option(False, "--evidence", help="Add the evidence column (the sentence, the other documents)."),
          hide_false_alarms: bool = typer.Option(False, "--hide-false-alarms", help="Leave out the flags reviewed as false alarms."),
          lang: Lang = typer.Option(Lang.vi, "--lang", help=LANG_HELP)) -> None:
    from . import report
    from .checks import RULES
    kinds = [k for k in RULES if k != "rule_files"]
    if kind and kind not in kinds and not kind.startswith("rule:"):
        _fail(ValueError(f"--kind must be one of {', '.join(kinds)} or rule:<file name>, not {kind!r}"))
    with _database(db) as con:
        frame = report.list_flags(con, kind, province, hide_false_alarms)
    cols = ["flag_id", "kind", "severity", "file", "province", "ref", "message", "decision"] + (["evidence"] if evidence else [])
    _emit(frame if fmt is not Format.table else frame[cols], fmt, title=label(lang, "flag_list", n=_fmt(len(frame))))


@app.command(help="Compare provinces on one metric.\n\n"
                  "Example:\n\n  vanban compare --by province_2025 --metric staffing --until 2025-06-30 --province 'Ca Mau' --format csv")
def compare(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
            by: By = typer.Option(By.province, "--by", help="province (as written) | province_2025 (after the 1 July 2025 merger)"),
            metric: Metric = typer.Option(Metric.staffing, "--metric", help="What to compare."),
            year: Optional[int] = typer.Option(None, "--year", help="Only documents of this year."),
            since: Optional[dt.datetime] = typer.Option(None, "--since", formats=["%Y-%m-%d"], help="Only documents dated on or after (YYYY-MM-DD)."),
            until: Optional[dt.datetime] = typer.Option(None, "--until", formats=["%Y-%m-%d"], help="Only documents dated on or before (YYYY-MM-DD): staffing as of that date."),
            province: Optional[list[str]] = typer.Option(None, "--province", help="A province (accents and case ignored); repeat for several."),
            fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
            lang: Lang = typer.Option(Lang.vi, "--lang", help=LANG_HELP)) -> None:
    from . import report
    selection = report.Selection(year=year, since=since.date() if since else None, until=until.date() if until else None,
                                 provinces=tuple(province or ()))
    with _database(db, ValueError) as con:
        frame = report.compare(con, by.value, metric.value, selection)
    _emit(frame, fmt, title=label(lang, "compare", metric=metric.value, by=by.value))


@app.command(help="Run one SQL query on the database (read only); $name parameters come from -p NAME VALUE.\n\n"
                  "Example:\n\n  vanban query \"SELECT * FROM documents WHERE province = $p\" -p p 'An Giang' --csv")
def query(sql: str = typer.Argument(..., help="The SQL to run."),
          db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          param: list[str] = typer.Option([], "--param", "-p", metavar="NAME VALUE", help="A query parameter: -p NAME VALUE or -p NAME=VALUE ($NAME in the SQL); repeatable."),
          fmt: Format = typer.Option(None, "--format", help="Output format (default: table on a terminal, csv otherwise)."),
          table: bool = typer.Option(False, "--table", help="A table (the default on a terminal)."),
          csv: bool = typer.Option(False, "--csv", help="CSV with a header."),
          tsv: bool = typer.Option(False, "--tsv", help="Tab-separated values."),
          json_: bool = typer.Option(False, "--json", help="A JSON array of objects."),
          nl: bool = typer.Option(False, "--nl", help="One JSON object per line."),
          md: bool = typer.Option(False, "--markdown", help="A Markdown table."),
          json_cols: bool = typer.Option(False, "--json-cols", help="JSON columns (evidence) emitted as JSON, not a string.")) -> None:
    from . import report
    fmt = _pick_format(fmt, table=table, csv=csv, tsv=tsv, json=json_, nl=nl, markdown=md)
    try:
        with _database(db, report.QueryError) as con:
            rel = report.query_relation(con, sql, dict(p.split("=", 1) for p in param) or None)
            _write(con, rel, fmt, json_cols)
    except duckdb.Error as e:   # raised while the rows are written out, after query_relation returned
        _fail(report.refused_or_failed(e))


def _pick_format(fmt: Format | None, **flags: bool) -> Format:
    chosen = [k for k, v in flags.items() if v]
    if len(chosen) > 1 or (chosen and fmt is not None):
        _fail(ValueError("choose one output format"))
    if chosen:
        return Format(chosen[0])
    return fmt or (Format.table if sys.stdout.isatty() else Format.csv)


def _write(con, rel, fmt: Format, json_cols: bool = False, title: str | None = None) -> None:
    from .output import write
    write(con, rel, fmt, sys.stdout, json_cols=json_cols, title=title, console=out)


@app.command(help="Start the local web app over the database (read-only): overview, documents with facets and "
                  "search, each document with its highlights, flags, cited documents, comparisons.\n\n"
                  "Example:\n\n  vanban serve --db data/processed/vanban.duckdb --port 8000")
def serve(db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
          port: int = typer.Option(8000, "--port", help="TCP port."),
          host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (only this machine unless told otherwise)."),
          allow_review: bool = typer.Option(False, "--allow-review", help="Let the flags page record decisions (confirmed / false alarm) into flag_reviews, the app's one write.")) -> None:
    try:
        from .web import serve as serve_app
    except ImportError as e:
        _fail(ValueError(f"the web app needs vanban[web] ({e.name} is missing)"))
    if not db.exists():
        _fail(StoreError(f"{db}: no such database (run 'vanban run' first)"))
    err.print(f"vanban serve: http://{host}:{port}/  (database {db}, read-only; Ctrl-C stops)", markup=False, highlight=False)
    try:
        serve_app(db, host=host, port=port, allow_review=allow_review)
    except Exception as e:  # noqa: BLE001 - a database that cannot be opened is one line
        import duckdb
        if isinstance(e, duckdb.Error):
            _fail(StoreError(f"{db}: cannot open database ({str(e).splitlines()[0]})"))
        raise


def _remember_rules(db: Path, rules: Path) -> None:
    from .checks.graph import remember_rules_dir
    from .store import mark_flags_stale
    with _database(db, _flag_errors()[1], write=True) as con:
        remember_rules_dir(con, rules)
        mark_flags_stale(con)


catalog_app = typer.Typer(no_args_is_help=True, help="The catalog kept in the database: import files, export what the archive implies.")
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("import", help="Store catalog entries and relations in the database; every later 'vanban run' "
                                    "and 'vanban check' uses them without --catalog. CSV or Parquet, vanban's columns "
                                    "(type, ref, issue_date, issuer, title, status, effective_date, expiry_date; relations "
                                    "ref, other_ref, relation) or a public dataset's (so_ky_hieu, ngay_ban_hanh, …; "
                                    "doc_id, other_doc_id, relationship).\n\n"
                                    "Example:\n\n  vanban catalog import entries.csv relations.csv --db data/processed/vanban.duckdb")
def catalog_import(files: list[Path] = typer.Argument(..., help="Entry and relation files (CSV or Parquet)."),
                   db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file (created when missing).")) -> None:
    from .catalog import import_catalog
    with _database(db, _flag_errors()[0], write=True) as con:
        n = import_catalog(con, files)
    out.print(f"catalog: {n['entries']} entries, {n['relations']} relations imported"
              + (f", {n['skipped']} rows without a số hiệu skipped" if n["skipped"] else "")
              + "; the next 'vanban run' or 'vanban check' uses them", markup=False, highlight=False)


@catalog_app.command("export", help="Write the catalog the archive implies: every national document of the archive "
                                    "with its own header, and the consensus date of the others it cites (CSV, or "
                                    "Parquet for a .parquet name), in the columns 'vanban catalog import' reads.\n\n"
                                    "Example:\n\n  vanban catalog export catalog.csv --relations relations.csv")
def catalog_export(to: Path = typer.Argument(..., help="The file to write (.csv or .parquet)."),
                   relations: Path = typer.Option(None, "--relations", help="Also write the relations (ref, other_ref, relation)."),
                   db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file.")) -> None:
    from .catalog import export_catalog
    with _database(db, _flag_errors()[0]) as con:
        n, m = export_catalog(con, to, relations)
    out.print(f"{to}: {n} entries" + (f"; {relations}: {m} relations" if relations else ""), markup=False, highlight=False)


Decision = Enum("Decision", {n: n for n in ("confirmed", "false_alarm")}, type=str)


@app.command(help="Record a decision on one flag (kept when flags are recomputed: the same finding keeps its flag_id).\n\n"
                  "Example:\n\n  vanban review 3f2a9c01 --as false_alarm --note 'the catalog is wrong'")
def review(flag_id: str = typer.Argument(..., help="The flag's id (or its first characters), from 'vanban flags'."),
           decision: Decision = typer.Option(..., "--as", help="confirmed | false_alarm"),
           note: str = typer.Option(None, "--note", help="Why."),
           db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file.")) -> None:
    from .reviews import ReviewError, review as record
    if not db.exists():
        _fail(StoreError(f"{db}: no such database (run 'vanban run' first)"))
    with _database(db, ReviewError, write=True) as con:
        r = record(con, flag_id, Decision(decision).value, note)
    out.print(f"{r['flag_id']} ({r['kind']}): {r['decision']}", markup=False, highlight=False)


@app.command(help="Write every table and view: as Parquet files into a folder, or into one .xlsx workbook "
                  "(a sheet each, money as integers) or one .sqlite file (full-text search on documents).\n\n"
                  "Example:\n\n  vanban export --to data/processed/parquet\n\n  vanban export --to vanban.sqlite")
def export(to: Path = typer.Option(..., "--to", help="A folder (Parquet), FILE.xlsx or FILE.sqlite."),
           db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file.")) -> None:
    from . import report
    from .export import export_sqlite, export_xlsx
    from .store.outputs import OutputError
    from .store import EXPORT
    kind = {".xlsx": "xlsx", ".sqlite": "sqlite", ".db": "sqlite", ".sqlite3": "sqlite"}.get(to.suffix.lower(), "parquet")
    try:
        if kind != "parquet":   # the Parquet folder is made (and marked as vanban's) by report.export_parquet
            to.parent.mkdir(parents=True, exist_ok=True)
        with _database(db, OutputError) as con:
            if kind == "xlsx":
                written = export_xlsx(con, list(EXPORT), to)
            elif kind == "sqlite":
                written = export_sqlite(con, list(EXPORT), to)
            else:
                written = report.export_parquet(con, to)
    except OSError as e:
        _fail(ValueError(f"{to}: cannot write ({e.strerror or e})"))
    what = "Parquet files" if kind == "parquet" else f"tables and views"
    out.print(f"wrote {len(written)} {what} to {to}", markup=False, highlight=False)


@app.command(help="Show one document with its citations, figures and flagged spans highlighted (in the terminal, "
                  "or --html OUT for a standalone page).\n\n"
                  "Example:\n\n  vanban show data/raw/binhdinh_bc210-2024-ketqua-thpl.docx --html /tmp/doc.html")
def show(what: str = typer.Argument(..., help="A file, a doc_id (or its first characters) or a flag_id."),
         db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB file."),
         html_out: Path = typer.Option(None, "--html", help="Write a standalone HTML page here instead.")) -> None:
    from . import show as shown
    with _database(db, shown.NotFound) as con:
        doc_id, flag_id = shown.resolve(con, what)
        meta, found = shown.spans(con, doc_id, flag_id)
    if html_out:
        html_out.write_text(shown.to_html(meta, found), encoding="utf-8")
        out.print(f"wrote {html_out}", markup=False, highlight=False)
        return
    out.print(f"{meta['source_path']}  ({', '.join(str(meta[k]) for k in ('province', 'doc_type', 'ref', 'issue_date') if meta[k])})",
              markup=False, highlight=False)
    out.print(shown.to_rich(meta, found))
    for s, e, label, note in found:
        if label == "flag":
            err.print(f"flag [{s}:{e}]: {note}", markup=False, highlight=False)


def _pair_params(argv: list[str]) -> list[str]:
    """``-p NAME VALUE`` as ``-p NAME=VALUE`` (the one-value form the option takes)."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] in ("-p", "--param") and i + 2 < len(argv) and "=" not in argv[i + 1]:
            out += [argv[i], f"{argv[i + 1]}={argv[i + 2]}"]
            i += 3
        else:
            out.append(argv[i])
            i += 1
    return out


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt   # SIGTERM stops the run as Ctrl-C does: whole batches kept, workers ended


def main() -> None:
    import signal
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app(args=_pair_params(sys.argv[1:]), prog_name="vanban")
    except KeyboardInterrupt:
        err.print("interrupted: documents loaded so far are kept")
        sys.exit(130)


if __name__ == "__main__":
    main()
