"""Routes: one function per page, each reading through :mod:`pipeline.report`; CSV / .xlsx of every table."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import shutil
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import duckdb
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import report
from .i18n import labels, num, pct
from .marks import Span, render

HERE = Path(__file__).parent
PAGE_SIZE = 50
FLAG_PAGE_SIZE = 100
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


class Snapshot:
    """A copy of the database, refreshed when the file changes and no run holds it; opened per request."""

    def __init__(self, db: Path):
        self.db = Path(db)
        self.dir = Path(tempfile.mkdtemp(prefix="vanban-serve-"))
        self.path, self.stamp, self.taken_at, self.busy = None, None, None, False
        self.lock = threading.Lock()
        self._index = (None, None)
        self.refresh()

    def refresh(self) -> None:
        stamp = report.data_stamp(self.db)
        if stamp == self.stamp:
            return
        with self.lock:
            if stamp == self.stamp:
                return
            try:   # holding a read-only connection keeps a writer out while the file is copied
                con = duckdb.connect(str(self.db), read_only=True)
            except duckdb.Error:
                self.busy = self.path is not None
                if self.path is None:
                    raise
                return
            try:
                target = self.dir / f"snap-{time.time_ns()}.duckdb"
                shutil.copyfile(self.db, target)
                wal = Path(str(self.db) + ".wal")
                if wal.exists():
                    shutil.copyfile(wal, str(target) + ".wal")
            finally:
                con.close()
            old, self.path, self.stamp, self.busy = self.path, target, stamp, False
            self.taken_at = datetime.now()
            if old is not None:
                for p in (old, Path(str(old) + ".wal")):
                    with contextlib.suppress(OSError):
                        p.unlink()
        self._start_index()

    def text_index(self, con) -> report.TextIndex:
        """The folded texts of the current snapshot: built in the background after each refresh, waited
        for by the first search that needs it."""
        with self.lock:
            path, job = self._index
        if path != self.path:
            self._start_index()
            with self.lock:
                path, job = self._index
        job.join()
        return job.result

    def _start_index(self) -> None:
        path = self.path

        def build():
            con = duckdb.connect(str(path), read_only=True)
            try:
                job.result = report.TextIndex(con)
            finally:
                con.close()
        job = threading.Thread(target=build, daemon=True)
        with self.lock:
            self._index = (path, job)
        job.start()

    @contextlib.contextmanager
    def connect(self):
        with contextlib.suppress(duckdb.Error):
            self.refresh()
        con = duckdb.connect(str(self.path), read_only=True)
        try:
            yield con
        finally:
            con.close()


def _clean(v):
    """A value from a DataFrame as plain Python (NaN/NaT → None, numpy ints → int)."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    with contextlib.suppress(TypeError, ValueError):
        if pd.isna(v) is True:   # NaN, NaT, pd.NA
            return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, int) and not isinstance(v, bool) and v > 10**17:   # nanosecond timestamps from .item()
        v = datetime.fromtimestamp(v / 1e9)
    return v


def _rows(frame, cols):
    return [[_clean(r[c]) for c in cols] for _, r in frame.iterrows()]


def _fmt_date(v) -> str:
    if isinstance(v, datetime):
        v = v.date()
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    return "" if v is None else str(v)


def create_app(db: Path, allow_review: bool = False) -> Starlette:
    snap = Snapshot(Path(db))
    env = Environment(loader=PackageLoader("pipeline.web", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["date"] = _fmt_date

    def page(request: Request, template: str, **ctx) -> HTMLResponse:
        lang = "en" if request.query_params.get("lang") == "en" else "vi"
        L = labels(lang)

        def link(path: str, **params) -> str:
            p = {k: v for k, v in params.items() if v not in (None, "")}
            if lang == "en":
                p["lang"] = "en"
            return path + ("?" + urlencode(p, doseq=True) if p else "")

        def here(**changes) -> str:
            p = dict(request.query_params.multi_items())
            for k, v in changes.items():
                p.pop(k, None)
                if v not in (None, ""):
                    p[k] = v
            return request.url.path + ("?" + urlencode(p) if p else "")

        html = env.get_template(template).render(
            L=L, lang=lang, link=link, here=here, request=request, q=request.query_params.get("q", ""),
            num=lambda v: num(_clean(v), lang), pct=lambda v: pct(_clean(v), lang),
            stamp=snap.stamp, busy=snap.busy, taken_at=snap.taken_at.strftime("%H:%M:%S %d/%m/%Y"), **ctx)
        return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"})

    def download(name: str, cols: list[str], rows: list[list], fmt: str) -> Response:
        if fmt == "csv":
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(cols)
            w.writerows([[_fmt_date(v) if isinstance(v, (date, datetime)) else v for v in r] for r in rows])
            return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(name[:31])
        ws.append(cols)
        for r in rows:
            ws.append([v if isinstance(v, (int, float, date, datetime)) or v is None else str(v) for v in r])
        buf = io.BytesIO()
        wb.save(buf)
        return Response(buf.getvalue(), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})

    def fmt_of(request: Request) -> str | None:
        f = request.path_params.get("fmt")
        return f if f in ("csv", "xlsx") else None

    # --- pages ---------------------------------------------------------------------------------
    async def overview(request: Request):
        with snap.connect() as con:
            ov = report.overview(con)
        return page(request, "overview.html", ov=ov, active="overview")

    def doc_filters(request: Request) -> dict:
        qp = request.query_params
        f = {c: qp.get(c) or None for c in report.DOC_FACETS}
        if f["year"] is not None and not f["year"].lstrip("-").isdigit():
            f["year"] = None
        f["cites"] = qp.get("cites") or None
        return f

    async def documents(request: Request):
        qp = request.query_params
        q, filters = qp.get("q", "").strip() or None, doc_filters(request)
        sort = qp.get("sort") if qp.get("sort") in report.DOC_SORTS else "file"
        desc = qp.get("desc") == "1"
        try:
            pageno = max(1, int(qp.get("page", "1")))
        except ValueError:
            pageno = 1
        fmt = fmt_of(request)
        with snap.connect() as con:
            if fmt:
                frame, _ = report.search_documents(con, q, filters, sort, desc, limit=None,
                                                   index=snap.text_index(con) if q else None)
                cols = [c for c in frame.columns]
                return download("documents", cols, _rows(frame, cols), fmt)
            index = snap.text_index(con) if q else None
            frame, total = report.search_documents(con, q, filters, sort, desc, PAGE_SIZE, (pageno - 1) * PAGE_SIZE,
                                                   with_text=bool(q), index=index)
            facets = report.document_facets(con, q, filters, index)
        docs = []
        for _, r in frame.iterrows():
            d = {c: _clean(r[c]) for c in frame.columns if c != "text"}
            d["snippet"] = _snippet(r["text"], q) if q else None
            docs.append(d)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        return page(request, "documents.html", docs=docs, total=total, facets=facets, filters=filters, sort=sort,
                    desc=desc, pageno=pageno, pages=pages, active="documents")

    async def document(request: Request):
        doc_id = request.path_params["doc_id"]
        with snap.connect() as con:
            doc = report.document(con, doc_id)
            if doc is None:
                return page(request, "notfound.html", active=None)
            spans = report.document_spans(con, doc_id)
            flags = report.search_flags(con, {"doc_id": doc_id})
            refs = sorted({r for r in spans["ref"].dropna()})
            in_archive = report.documents_with_refs(con, refs)
        doc = {k: _clean(v) for k, v in doc.items()}
        text = doc.get("text") or ""
        L = labels("en" if request.query_params.get("lang") == "en" else "vi")
        ms, items = [], []
        for _, r in spans.iterrows():
            details = {k: v for k, v in json.loads(r["details"]).items() if v is not None}
            title = f"{L.get(r['kind'], r['kind'])} · " + "; ".join(f"{k}: {v}" for k, v in details.items()) + \
                    (f" · {L['page']} {int(r['page'])}" if _clean(r["page"]) is not None else "")
            attrs = (("title", title), ("data-page", _clean(r["page"])), ("data-ref", _clean(r["ref"])),
                     ("data-values", json.dumps(details, ensure_ascii=False)))
            ms.append(Span(r["kind"], int(r["char_start"]), int(r["char_end"]), attrs))
            items.append({"kind": r["kind"], "start": int(r["char_start"]), "end": int(r["char_end"]),
                          "surface": r["surface"], "page": _clean(r["page"]), "details": details,
                          "ref": _clean(r["ref"]), "in_archive": in_archive.get(_clean(r["ref"]))})
        flag_list = []
        for _, f in flags.iterrows():
            fl = {c: _clean(f[c]) for c in flags.columns}
            fl["evidence"] = _evidence(fl["evidence"])
            flag_list.append(fl)
            if fl["char_start"] is not None and fl["char_end"] is not None:
                ms.append(Span("flag", int(fl["char_start"]), int(fl["char_end"]),
                                     (("id", f"flag-{fl['flag_id']}"), ("title", f"{fl['kind']}: {fl['message']}"),
                                      ("data-flag", fl["flag_id"]),
                                      ("data-values", json.dumps({k: fl[k] for k in ("kind", "severity", "message", "expected", "found")
                                                                  if fl[k] is not None}, ensure_ascii=False)))))
        body = render(text, ms)
        return page(request, "document.html", doc=doc, body=body, items=items, flags=flag_list, active="documents")

    async def flags(request: Request):
        qp = request.query_params
        filters = {k: (qp.get(k) or None) for k in report.FLAG_FILTERS if k != "doc_id"}
        if filters["year"] and not filters["year"].isdigit():
            filters["year"] = None
        fmt = fmt_of(request)
        with snap.connect() as con:
            frame = report.search_flags(con, filters)
            choices = report.flag_choices(con)
        cols = ["kind", "severity", "file", "province", "year", "ref", "message", "expected", "found", "doc_id",
                "char_start", "char_end", "flag_id"]
        if fmt:
            return download("flags", cols + ["evidence"], _rows(frame, cols + ["evidence"]), fmt)
        try:
            pageno = max(1, int(qp.get("page", "1")))
        except ValueError:
            pageno = 1
        total, pages = len(frame), max(1, math.ceil(len(frame) / FLAG_PAGE_SIZE))
        frame = frame.iloc[(pageno - 1) * FLAG_PAGE_SIZE: pageno * FLAG_PAGE_SIZE]
        rows = []
        for _, f in frame.iterrows():
            fl = {c: _clean(f[c]) for c in frame.columns}
            fl["evidence"] = _evidence(fl["evidence"])
            rows.append(fl)
        return page(request, "flags.html", rows=rows, total=total, pageno=pageno, pages=pages, filters=filters,
                    choices=choices, active="flags",
                    allow_review=allow_review)

    async def review(request: Request):
        """The one write of the app (``--allow-review``): a decision on one flag, into ``flag_reviews``."""
        from ..reviews import DECISIONS, ReviewError, review as record
        from ..store import StoreError, connect
        origin = request.headers.get("origin")
        if not allow_review or (origin and origin.split("://", 1)[-1] != request.url.netloc):
            return Response("reviewing flags needs 'vanban serve --allow-review'", status_code=403)
        # a urlencoded form read here: Starlette's form parser needs python-multipart, which the app does not
        form = {k: v[-1] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        decision, note = form.get("decision"), (form.get("note") or "").strip() or None
        if decision not in DECISIONS:
            return Response(f"decision must be one of {', '.join(DECISIONS)}", status_code=400)
        try:
            con = connect(Path(db))
            try:
                record(con, request.path_params["flag_id"], decision, note)
            finally:
                con.close()
        except ReviewError as e:
            return Response(str(e), status_code=404)
        except StoreError as e:
            return Response(f"{e}; try again when the run has finished", status_code=409)
        with contextlib.suppress(duckdb.Error):
            snap.refresh()
        back = form.get("back") or "/flags"
        return RedirectResponse(back if back.startswith("/flags") else "/flags", status_code=303)

    async def cited(request: Request):
        q = request.query_params.get("q", "").strip() or None
        fmt = fmt_of(request)
        with snap.connect() as con:
            frame = report.cited_documents(con, q)
        cols = list(frame.columns)
        if fmt:
            return download("cited_documents", cols, _rows(frame, cols), fmt)
        try:
            pageno = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            pageno = 1
        total, pages = len(frame), max(1, math.ceil(len(frame) / FLAG_PAGE_SIZE))
        frame = frame.iloc[(pageno - 1) * FLAG_PAGE_SIZE: pageno * FLAG_PAGE_SIZE]
        rows = [{c: _clean(r[c]) for c in cols} for _, r in frame.iterrows()]
        return page(request, "cited.html", rows=rows, total=total, pageno=pageno, pages=pages, active="cited")

    async def compare(request: Request):
        qp = request.query_params
        by = qp.get("by") if qp.get("by") in report.BY else "province"
        metric = qp.get("metric") if qp.get("metric") in report.METRICS else "citations"
        years = tuple(int(qp[k]) if qp.get(k, "").isdigit() else None for k in ("from", "to"))
        chosen = [p for p in qp.getlist("p") if p]
        fmt = fmt_of(request)
        with snap.connect() as con:
            frame = report.compare(con, by, metric, report.years_selection(years))
            all_provinces = [str(v) for v in frame[by].dropna()] if by in frame.columns else []
        if chosen and by in frame.columns:
            frame = frame[frame[by].isin(chosen)]
        cols = list(frame.columns)
        rows = _rows(frame, cols)
        if fmt:
            return download(f"compare_{metric}_{by}", cols, rows, fmt)
        numeric = [c for c in cols if c != by and all(isinstance(r[i], (int, float)) or r[i] is None
                                                       for r in rows for i in [cols.index(c)])]
        chart = {"labels": [str(r[0]) if r[0] is not None else "—" for r in rows],
                 "series": [{"label": c, "data": [r[cols.index(c)] for r in rows]} for c in numeric
                            if c not in ("part_time_share", "citations_per_document")][:8]}
        return page(request, "compare.html", cols=cols, rows=rows, by=by, metric=metric, years=years, chosen=chosen,
                    all_provinces=sorted(all_provinces), chart=chart, active="compare")

    async def version(request: Request):
        with contextlib.suppress(duckdb.Error):
            snap.refresh()
        return JSONResponse({"stamp": snap.stamp, "busy": snap.busy})

    routes = [
        Route("/", overview), Route("/documents", documents), Route("/documents.{fmt}", documents),
        Route("/document/{doc_id}", document), Route("/flags", flags), Route("/flags.{fmt}", flags),
        Route("/flags/{flag_id}/review", review, methods=["POST"]),
        Route("/cited", cited), Route("/cited.{fmt}", cited), Route("/compare", compare),
        Route("/compare.{fmt}", compare), Route("/version", version),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.snapshot = snap
    return app


def _evidence(raw) -> list[tuple[str, str]]:
    """The evidence JSON as (label, readable value) pairs."""
    if not raw:
        return []
    try:
        ev = json.loads(raw)
    except (TypeError, ValueError):
        return [("", str(raw))]

    def show(v):
        if isinstance(v, dict):
            return "; ".join(f"{k}: {show(x)}" for k, x in v.items())
        if isinstance(v, list):
            return ", ".join(show(x) for x in v)
        return str(v)
    return [(k, show(v)) for k, v in ev.items() if v not in (None, [], {}, "")]


def _snippet(text, q: str, width: int = 90) -> list[tuple[str, bool]]:
    """Pieces (text, is_match) around the first folded match of q (the whole phrase if it occurs, else its
    words as whole words) in text."""
    import regex
    if not isinstance(text, str) or not q:
        return []
    folded = report.fold_chars(text)
    phrase = " ".join(report.fold_chars(w) for w in q.split())
    hits = [(m.start(), m.end()) for m in regex.finditer(r"(?<!\w)" + regex.escape(phrase) + r"(?!\w)", folded)]
    if not hits:
        words = "|".join(regex.escape(report.fold_chars(w)) for w in q.split())
        hits = [(m.start(), m.end()) for m in regex.finditer(r"(?<!\w)(?:" + words + r")(?!\w)", folded)]
    if not hits:
        return [(text[:2 * width], False)]
    lo, hi = max(0, hits[0][0] - width), min(len(text), hits[0][1] + width)
    pieces, pos = [], lo
    for s, e in hits:
        if s < pos or e > hi:
            continue
        pieces.append((text[pos:s], False))
        pieces.append((text[s:e], True))
        pos = e
    pieces.append((text[pos:hi], False))
    if lo > 0:
        pieces.insert(0, ("…", False))
    if hi < len(text):
        pieces.append(("…", False))
    return pieces


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000, allow_review: bool = False) -> None:
    import uvicorn
    uvicorn.run(create_app(db, allow_review), host=host, port=port, log_level="warning")
