"""Routes: one function per page, each reading through :mod:`pipeline.report`; CSV / .xlsx of every table."""
from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import time
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import duckdb
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import report
from .i18n import labels, num, pct
from .marks import Span, render
from .snapshot import Snapshot

HERE = Path(__file__).parent
PAGE_SIZE = 50
FLAG_PAGE_SIZE = 100
CITED_BY_SHOWN = 12   # files named in the cited page's "cited by" cell; the count links to all of them
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


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
            ov = snap.memo(con, "overview", lambda: report.overview(con))
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
            matches = report.matching(con, q)
            if fmt:
                rows, _ = report.search_documents(con, matches, filters, sort, desc, limit=None)
                cols = list(rows[0]) if rows else [c.strip() for c in report.DOC_COLUMNS.split(",")]
                return download("documents", cols, [list(r.values()) for r in rows], fmt)
            docs, total = report.search_documents(con, matches, filters, sort, desc, PAGE_SIZE, (pageno - 1) * PAGE_SIZE,
                                                  with_text=matches is not None)
            facets = (report.document_facets(con, matches, filters) if matches is not None or any(filters.values()) else
                      snap.memo(con, "facets", lambda: report.document_facets(con)))
        for d in docs:
            d["snippet"] = _snippet(d.pop("text"), q) if matches is not None else None
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
            flags, _ = report.search_flags(con, {"doc_id": doc_id})
            refs = sorted({r["ref"] for r in spans if r["ref"] is not None})
            in_archive = report.documents_with_refs(con, refs)
        text = doc.get("text") or ""
        L = labels("en" if request.query_params.get("lang") == "en" else "vi")
        ms, items = [], []
        for r in spans:
            details = {k: v for k, v in json.loads(r["details"]).items() if v is not None}
            title = f"{L.get(r['kind'], r['kind'])} · " + "; ".join(f"{k}: {v}" for k, v in details.items()) + \
                    (f" · {L['page']} {r['page']}" if r["page"] is not None else "")
            attrs = (("title", title), ("data-page", r["page"]), ("data-ref", r["ref"]),
                     ("data-values", json.dumps(details, ensure_ascii=False)))
            ms.append(Span(r["kind"], r["char_start"], r["char_end"], attrs))
            items.append({"kind": r["kind"], "start": r["char_start"], "end": r["char_end"],
                          "surface": r["surface"], "page": r["page"], "details": details,
                          "ref": r["ref"], "in_archive": in_archive.get(r["ref"])})
        flag_list = []
        for fl in flags:
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
        try:
            pageno = max(1, int(qp.get("page", "1")))
        except ValueError:
            pageno = 1
        with snap.connect() as con:
            if fmt:
                rows, _ = report.search_flags(con, filters)
            else:
                rows, total = report.search_flags(con, filters, FLAG_PAGE_SIZE, (pageno - 1) * FLAG_PAGE_SIZE)
                choices = snap.memo(con, "flag_choices", lambda: report.flag_choices(con))
        cols = ["kind", "severity", "file", "province", "year", "ref", "message", "expected", "found", "doc_id",
                "char_start", "char_end", "flag_id"]
        if fmt:
            return download("flags", cols + ["evidence"], [[r[c] for c in cols + ["evidence"]] for r in rows], fmt)
        pages = max(1, math.ceil(total / FLAG_PAGE_SIZE))
        for fl in rows:
            fl["evidence"] = _evidence(fl["evidence"])
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
        try:
            pageno = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            pageno = 1
        with snap.connect() as con:
            if fmt:
                rows, _ = report.cited_documents(con, q)
            else:
                rows, total = report.cited_documents(con, q, FLAG_PAGE_SIZE, (pageno - 1) * FLAG_PAGE_SIZE,
                                                     cited_by=CITED_BY_SHOWN)
        if fmt:
            cols = [c for c in rows[0] if c != "more_citing"] if rows else \
                [c.strip() for c in report.CITED_COLUMNS.split(",")] + ["cited_by"]
            return download("cited_documents", cols, [[r[c] for c in cols] for r in rows], fmt)
        pages = max(1, math.ceil(total / FLAG_PAGE_SIZE))
        return page(request, "cited.html", rows=rows, total=total, pageno=pageno, pages=pages, active="cited")

    async def compare(request: Request):
        qp = request.query_params
        by = qp.get("by") if qp.get("by") in report.BY else "province"
        metric = qp.get("metric") if qp.get("metric") in report.METRICS else "citations"
        years = tuple(int(qp[k]) if qp.get(k, "").isdigit() else None for k in ("from", "to"))
        chosen = [p for p in qp.getlist("p") if p]
        fmt = fmt_of(request)
        with snap.connect() as con:
            frame = snap.memo(con, ("compare", by, metric, years),
                              lambda: report.compare(con, by, metric, report.years_selection(years)))
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
    app = Starlette(routes=routes, middleware=[Middleware(ServerTiming)])
    app.state.snapshot = snap
    return app


class ServerTiming:
    """A ``Server-Timing`` header on each response: its time on the server and the CPU the process spent
    meanwhile (DuckDB's threads included), which bench/bench_web.py reports."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        wall, cpu = time.perf_counter(), time.process_time()

        async def send_timed(message):
            if message["type"] == "http.response.start":
                timing = f"app;dur={(time.perf_counter() - wall) * 1000:.1f}, cpu;dur={(time.process_time() - cpu) * 1000:.1f}"
                message = {**message, "headers": [*message.get("headers", []), (b"server-timing", timing.encode())]}
            await send(message)
        await self.app(scope, receive, send_timed)


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
