"""``vanban synth``: a realistic archive for tests and benchmarks, with its ground truth.

Documents of the genre (Báo cáo, Kế hoạch, Quyết định, Công văn) from the 63 provinces before
and the 34 after the 1 July 2025 merger, with the two-column header, citations drawn from the
national catalog in the forms they are written in (numbered, worded dates, no date, pinpoints,
lists sharing one type word, named laws, số hiệu broken across lines), staffing and budget in
text and in tables, deadlines, counts, and a known share of planted inconsistencies.  Formats:
PDF (two-column header, ruled table), DOCX, HTML with portal furniture, TXT.  Files go to
``OUT/raw``; the ground truth, in the gold format of ../shared/corpus plus a ``planted`` list, to
``OUT/gold``.  Everything is decided by ``--seed``; the texts are written for vanban.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import json
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from extractors import vocab

from ..checks import read_catalog

DATA = Path(__file__).parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_B = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
FORMATS = (("pdf", 0.08), ("docx", 0.22), ("html", 0.28), ("txt", 0.42))   # PDFs of ~2 pages: ~15 % of pages
MERGER = dt.date(2025, 7, 1)


@functools.cache
def synth_words() -> dict:
    return vocab.read_yaml(DATA / "synth.yaml")


@functools.cache
def catalog() -> tuple[dict, ...]:
    return tuple(read_catalog(vocab.DATA / "national_documents.csv"))


@dataclass
class Doc:
    """One generated document: what it says, where, and what a correct extraction finds in it."""

    file: str
    fmt: str
    province: str
    kind: str                  # 'tỉnh' or 'thành phố'
    doc_type: str
    ref: str
    date: dt.date
    subject: str
    paragraphs: list[str] = field(default_factory=list)
    table: tuple[str, list[str], list[list[str]]] | None = None   # caption, header, rows
    table_at: int = 0
    signer: str = ""
    gold: dict = field(default_factory=dict)


def _d(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _worded(d: dt.date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _money(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class _Builder:
    def __init__(self, rng: random.Random, doc: Doc, plant_rate: float):
        self.rng, self.doc, self.plant_rate = rng, doc, plant_rate
        self.g = doc.gold
        self.g.update(citations=[], staffing=[], budget=[], budget_tables=[], deadlines=[], counts=[], planted=[])

    def plant(self) -> bool:
        return self.rng.random() < self.plant_rate

    # --- citations -----------------------------------------------------------------------------
    def cite(self, entry: dict, form: str, date: dt.date | None = None, ref: str | None = None,
             written_type: str | None = None) -> str:
        """A mention of a catalog entry in one written form; its gold entry is recorded."""
        ref = ref or entry["ref"]
        date = entry["issue_date"] if date is None else date
        typ = written_type or entry["type"]
        issuer = synth_words()["issuer_of"].get(entry["issuer"] or "", "")
        shown_ref = ref
        if form == "broken" and "-" in ref:
            head, tail = ref.rsplit("-", 1)
            shown_ref = f"{head}-\n{tail}"
        with_date = form != "nodate"
        when = (_worded(date) if form == "worded" else f"ngày {_d(date)}") if with_date else ""
        pin = f"khoản {self.rng.randint(1, 5)} Điều {self.rng.randint(1, 20)} " if form == "pinpoint" else ""
        self.g["citations"].append({"ref": ref, "date": date.isoformat() if with_date else None, "type": entry["type"]})
        return " ".join(x for x in (f"{pin}{typ} số {shown_ref}", when, issuer) if x)

    def named_law(self) -> str:
        name, refs = self.rng.choice(list(synth_words()["named_laws"].items()))
        entries = [e for e in catalog() if e["ref"] in refs and e["issue_date"] < self.doc.date]
        if not entries:
            return ""
        e = max(entries, key=lambda x: x["issue_date"])
        self.g["citations"].append({"ref": None, "name": name, "date": e["issue_date"].isoformat(), "type": "Luật"})
        return f"{name} {_worded(e['issue_date'])}"

    def citations_paragraph(self) -> str:
        rng, doc = self.rng, self.doc
        older = [e for e in catalog() if e["issue_date"] < doc.date and e["type"] != "Luật"]
        picks = rng.sample(older, k=min(len(older), rng.randint(3, 6)))
        parts = []
        law = self.named_law()
        if law:
            parts.append(law)
        forms = ["full", "worded", "nodate", "pinpoint", "broken", "full"]
        planted_here = False
        i = 0
        while i < len(picks):
            e = picks[i]
            nxt = picks[i + 1] if i + 1 < len(picks) else None
            if nxt and nxt["type"] == e["type"] and rng.random() < 0.5:
                # a list sharing one type word: 'Nghị định số A ngày …; số B ngày …'
                first = self.cite(e, "full")
                self.g["citations"].append({"ref": nxt["ref"], "date": nxt["issue_date"].isoformat(), "type": nxt["type"]})
                parts.append(f"{first}; số {nxt['ref']} ngày {_d(nxt['issue_date'])}")
                i += 2
                continue
            if not planted_here and self.plant():
                planted_here = True
                parts.append(self._planted_citation(e))
            else:
                parts.append(self.cite(e, rng.choice(forms)))
            i += 1
        lead = "Căn cứ" if doc.doc_type in ("Quyết định", "Kế hoạch") else "Thực hiện"
        return ";\n".join(f"{lead} {p}" for p in parts) + ";"

    def _planted_citation(self, e: dict) -> str:
        rng = self.rng
        kind = rng.choice(["catalog_date_mismatch", "number_year_mismatch", "type_symbol_mismatch"])
        if kind == "type_symbol_mismatch" and e["type"] not in ("Nghị định", "Quyết định", "Thông tư"):
            kind = "catalog_date_mismatch"
        if kind == "catalog_date_mismatch":
            wrong = e["issue_date"].replace(day=min(28, e["issue_date"].day + rng.randint(1, 5)))
            self.g["planted"].append({"kind": kind, "ref": e["ref"], "found": wrong.isoformat()})
            return self.cite(e, "full", date=wrong)
        if kind == "number_year_mismatch" and e["ref"].count("/") == 2:
            num, year, sym = e["ref"].split("/")
            wrong_ref = f"{num}/{int(year) + rng.randint(1, 6)}/{sym}"
            self.g["planted"].append({"kind": kind, "ref": wrong_ref})
            return self.cite(e, "full", ref=wrong_ref)
        other = {"Nghị định": "Thông tư", "Quyết định": "Nghị định", "Thông tư": "Quyết định"}.get(e["type"], "Nghị định")
        if kind == "type_symbol_mismatch":
            self.g["planted"].append({"kind": kind, "ref": e["ref"]})
            return self.cite(e, "full", written_type=other)
        wrong = e["issue_date"].replace(day=min(28, e["issue_date"].day + 1))
        self.g["planted"].append({"kind": "catalog_date_mismatch", "ref": e["ref"], "found": wrong.isoformat()})
        return self.cite(e, "full", date=wrong)

    def local_plan(self) -> str:
        """A citation of one of the province's own earlier plans."""
        d = self.doc.date - dt.timedelta(days=self.rng.randint(30, 400))
        ref = f"{self.rng.randint(1, 300)}/KH-UBND"
        self.g["citations"].append({"ref": ref, "date": d.isoformat(), "type": "Kế hoạch"})
        return f"Kế hoạch số {ref} ngày {_d(d)} của Ủy ban nhân dân tỉnh"

    # --- figures -------------------------------------------------------------------------------
    def staffing(self) -> str:
        rng = self.rng
        two_levels = self.doc.date >= MERGER   # no district level after the 2025 reform
        tinh_ft, tinh_pt = rng.randint(1, 6), rng.randint(0, 8)
        tinh = tinh_ft + tinh_pt
        huyen = 0 if two_levels else rng.randint(8, 40)
        xa = rng.randint(40, 300)
        total = tinh + huyen + xa
        stated = total
        if self.plant():
            stated = total + rng.choice([-3, -2, 2, 5, 10])
            self.g["planted"].append({"kind": "total_mismatch", "ref": None, "expected": stated, "found": total})
        self.g["staffing"] += [{"unit": "toàn tỉnh", "count": stated},
                               {"unit": "Sở Tư pháp", "level": "tỉnh", "count": tinh, "full_time": tinh_ft, "part_time": tinh_pt}]
        lines = [f"Tổng số cán bộ, công chức làm công tác theo dõi thi hành pháp luật trên địa bàn tỉnh là {stated} người, cụ thể:",
                 f"- Cấp tỉnh: Sở Tư pháp {tinh:02d} người (chuyên trách: {tinh_ft}, kiêm nhiệm: {tinh_pt});"]
        if huyen:
            self.g["staffing"].append({"unit": "Phòng Tư pháp", "level": "huyện", "count": huyen})
            lines.append(f"- Cấp huyện: {huyen} người là công chức Phòng Tư pháp;")
        self.g["staffing"].append({"unit": "công chức tư pháp - hộ tịch", "level": "xã", "count": xa})
        lines.append(f"- Cấp xã: {xa} người là công chức tư pháp - hộ tịch.")
        return "\n".join(lines)

    def budget_text(self) -> str:
        rng = self.rng
        lo = rng.randint(4, 9) * 10_000_000
        hi = lo + rng.randint(1, 3) * 10_000_000
        rate = rng.choice([1_500_000, 2_000_000, 2_500_000])
        big = rng.choice([(15, "1,5 tỷ"), (22, "2,2 tỷ"), (8, "800 triệu")])
        self.g["budget"] += [{"min_vnd": lo, "max_vnd": hi, "per": "năm"},
                             {"min_vnd": rate, "max_vnd": rate, "per": "năm"},
                             {"min_vnd": big[0] * 100_000_000, "max_vnd": big[0] * 100_000_000}]
        return (f"Kinh phí bố trí cho Sở Tư pháp thực hiện nhiệm vụ bình quân từ {_money(lo)} đồng - {_money(hi)} đồng mỗi năm; "
                f"mỗi xã được bố trí {_money(rate)} đồng/năm. Tổng kinh phí giai đoạn này là {big[1]} đồng.")

    def budget_table(self) -> tuple[str, list[str], list[list[str]]]:
        rng, y = self.rng, self.doc.date.year
        rows, totals = [], [0, 0]
        units = ["Sở Tư pháp", "Các sở, ban, ngành", "Cấp xã"] if self.doc.date >= MERGER else \
            ["Sở Tư pháp", "Các sở, ban, ngành", "Cấp huyện", "Cấp xã"]
        for u in units:
            vals = [rng.randint(20, 900), rng.randint(20, 900)]
            totals = [totals[0] + vals[0], totals[1] + vals[1]]
            rows.append([u, _money(vals[0]), _money(vals[1])])
        rows.append(["Tổng cộng", _money(totals[0]), _money(totals[1])])
        for r in rows:
            for v in r[1:]:
                self.g["budget_tables"].append({"row": r[0], "min_vnd": int(v.replace(".", "")) * 1_000_000})
        return "Dự toán kinh phí (Đơn vị: triệu đồng)", ["Nội dung", f"Năm {y - 1}", f"Năm {y}"], rows

    def deadline(self) -> str:
        due = self.doc.date + dt.timedelta(days=self.rng.randint(10, 90))
        self.g["deadlines"].append({"date": due.isoformat()})
        self.g["deadlines"].append({"date": None, "recurring": "--12-15"})
        return (f"Các cơ quan, đơn vị gửi báo cáo về Sở Tư pháp chậm nhất ngày {_d(due)} để tổng hợp; "
                f"báo cáo định kỳ gửi trước ngày 15/12 hằng năm.")

    def counts(self) -> str:
        a, b, c = self.rng.randint(20, 900), self.rng.randint(1000, 40000), self.rng.randint(2, 30)
        self.g["counts"] += [{"value": a, "unit": "cuộc"}, {"value": b, "unit": "lượt người"},
                             {"value": c, "unit": "đợt kiểm tra"}]
        return (f"Các cơ quan đã tổ chức {_money(a)} cuộc tuyên truyền với {_money(b)} lượt người tham dự "
                f"và thực hiện {c:02d} đợt kiểm tra.")

    def impossible(self) -> str:
        if not self.plant():
            return ""
        y = self.doc.date.year
        self.g["planted"].append({"kind": "impossible_date", "ref": None, "found": f"31/02/{y}"})
        return f" Hội nghị sơ kết dự kiến tổ chức vào ngày 31/02/{y}."


def make_doc(rng: random.Random, n: int, plant_rate: float, names: list[str] | None = None,
             years: tuple[int, int] | None = None) -> Doc:
    """One document; ``names`` (provinces not merged in 2025) and ``years`` narrow where and when,
    so that a province gets several reports a year (the staffing-as-of-a-date test)."""
    v = synth_words()
    fmt = rng.choices([f for f, _ in FORMATS], weights=[w for _, w in FORMATS])[0]
    first, last = (dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)) if years else (dt.date(2016, 1, 1), dt.date(2026, 10, 31))
    date = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    ps = vocab.provinces()
    if names:
        name = rng.choice(names)
    elif date >= MERGER:
        name = rng.choice(sorted({p.name_2025 for p in ps}))
    else:
        name = rng.choice([p.name for p in ps])
    # a merged-away name keeps its kind; a renamed one (Thừa Thiên Huế → Huế) is a centrally-run city
    kind = next((p.kind for p in ps if p.name == name), "thành phố")
    doc_type = rng.choice(list(v["doc_types"]))
    code = v["doc_types"][doc_type]["code"]
    number = rng.randint(1, 3000)
    ref = f"{number}/{code}-UBND" if code else f"{number}/UBND-{rng.choice(['NC', 'VP', 'TH'])}"
    subject = rng.choice(v["subjects"][doc_type]).format(year=date.year, prev=date.year - 1)
    file = f"{n:06d}_{_slug(name)}_{(code or 'CV').lower()}{number}.{fmt}"
    doc = Doc(file, fmt, name, kind, doc_type, ref, date, subject, signer=rng.choice(v["signers"]))
    b = _Builder(rng, doc, plant_rate)
    paras = [b.citations_paragraph()]
    paras.append(f"Tiếp theo {b.local_plan()}, Ủy ban nhân dân tỉnh {'báo cáo' if doc_type == 'Báo cáo' else 'thông báo'} như sau:")
    paras += rng.sample(v["filler"], k=rng.randint(2, 4))
    if doc_type in ("Báo cáo", "Kế hoạch"):
        paras.append(b.staffing())
    paras.append(b.counts() + b.impossible())
    paras += rng.sample(v["filler"], k=rng.randint(1, 3))
    paras.append(b.budget_text())
    doc.table = b.budget_table()
    doc.table_at = len(paras)
    paras.append(b.deadline())
    paras += rng.sample(v["filler"], k=rng.randint(1, 3))
    doc.paragraphs = paras
    doc.gold.update(file=file, document={"province": name, "doc_type": doc_type, "ref": ref, "issue_date": date.isoformat(),
                                         "signer": doc.signer, "subject": subject})
    return doc


def _slug(name: str) -> str:
    import unicodedata
    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if c.isalnum() and ord(c) < 128).lower()


# --- writers -----------------------------------------------------------------------------------

def _header(doc: Doc) -> tuple[list[str], list[str]]:
    left = ["ỦY BAN NHÂN DÂN", f"{doc.kind.upper()} {doc.province.upper()}", f"Số: {doc.ref}"]
    if doc.doc_type == "Công văn":
        left.append(doc.subject)
    right = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             f"{doc.province}, {_worded(doc.date)}"]
    return left, right


def _title(doc: Doc) -> list[str]:
    heading = synth_words()["doc_types"][doc.doc_type]["heading"]
    return [heading, doc.subject] if heading else ["Kính gửi: Các sở, ban, ngành tỉnh."]


def _signature(doc: Doc) -> list[str]:
    return ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", doc.signer]


def write_txt(doc: Doc, path: Path) -> None:
    left, right = _header(doc)
    out = left + [""] + right + [""] + _title(doc) + [""]
    for i, p in enumerate(doc.paragraphs):
        if i == doc.table_at and doc.table:
            cap, head, rows = doc.table
            out += [cap, "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(r) + " |" for r in rows] + [""]
        for line in p.split("\n"):
            out += textwrap.wrap(line, 95, break_long_words=False) or [""]
        out.append("")
    out += _signature(doc)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def write_html(doc: Doc, path: Path, rng: random.Random) -> None:
    f = synth_words()["furniture"]
    left, right = _header(doc)
    e = html.escape
    body = [f"<h1>{e(doc.doc_type)} số {e(doc.ref)}</h1>",
            f"<table><tr><td>{'<br>'.join(map(e, left[:2]))}</td><td>{'<br>'.join(map(e, right[:2]))}</td></tr>"
            f"<tr><td>{'<br>'.join(map(e, left[2:]))}</td><td>{e(right[2])}</td></tr></table>"]
    body += [f"<p>{e(t)}</p>" for t in _title(doc)]
    for i, p in enumerate(doc.paragraphs):
        if i == doc.table_at and doc.table:
            cap, head, rows = doc.table
            body.append(f"<p>{e(cap)}</p><table><tr>{''.join(f'<th>{e(h)}</th>' for h in head)}</tr>"
                        + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows) + "</table>")
        body.append("<p>" + "<br>".join(map(e, p.split("\n"))) + "</p>")
    body.append("<p>" + "<br>".join(map(e, _signature(doc)[:3])) + "</p>")
    body.append("<p>" + "<br>".join(map(e, _signature(doc)[3:5])) + f"</p><p>{e(doc.signer)}</p>")
    page = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{e(doc.doc_type)} {e(doc.ref)}</title></head><body>'
            + f["nav"] + f["banner"] + "<main><article>" + "\n".join(body) + "</article></main>"
            + f["footer"].format(visits=_money(rng.randint(10_000, 9_000_000)), province=e(doc.province)) + "</body></html>")
    path.write_text(page, encoding="utf-8")


def write_docx(doc: Doc, path: Path) -> None:
    import docx

    d = docx.Document()
    left, right = _header(doc)
    for line in left[:2] + right[:2] + left[2:] + right[2:] + _title(doc):
        d.add_paragraph(line)
    for i, p in enumerate(doc.paragraphs):
        if i == doc.table_at and doc.table:
            cap, head, rows = doc.table
            d.add_paragraph(cap)
            t = d.add_table(rows=len(rows) + 1, cols=len(head))
            for r, cells in enumerate([head] + rows):
                for c, value in enumerate(cells):
                    t.cell(r, c).text = value
        for line in p.split("\n"):
            d.add_paragraph(line)
    for line in _signature(doc):
        d.add_paragraph(line)
    d.save(str(path))


def write_pdf(doc: Doc, path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("serif", "", FONT)
    pdf.add_font("serif", "B", FONT_B)
    pdf.add_page()
    left, right = _header(doc)
    pdf.set_font("serif", "B", 11)
    for k, (a, b) in enumerate([(left[0], right[0]), (left[1], right[1])]):
        pdf.set_xy(15, 15 + 6 * k); pdf.cell(80, 6, a, align="C")
        pdf.set_xy(100, 15 + 6 * k); pdf.cell(100, 6, b, align="C")
    pdf.set_font("serif", "", 11)
    pdf.set_xy(15, 31); pdf.cell(80, 6, left[2], align="C")
    pdf.set_xy(100, 31); pdf.cell(100, 6, right[2], align="C")
    y = 38
    if len(left) > 3:
        pdf.set_xy(15, y); pdf.multi_cell(80, 5, left[3], align="C")
        y = pdf.get_y() + 2
    pdf.set_font("serif", "B", 12)
    for t in _title(doc):
        pdf.set_xy(15, y + 4); pdf.multi_cell(180, 6, t, align="C")
        y = pdf.get_y()
    pdf.set_font("serif", "", 11)
    pdf.set_y(y + 6)
    for i, p in enumerate(doc.paragraphs):
        if i == doc.table_at and doc.table:
            cap, head, rows = doc.table
            pdf.set_x(15); pdf.multi_cell(180, 6, cap)
            pdf.set_x(15)
            with pdf.table(col_widths=(80, 40, 40), width=160, align="LEFT", text_align=("LEFT", "RIGHT", "RIGHT")) as t:
                for cells in [head] + rows:
                    row = t.row()
                    for c in cells:
                        row.cell(c)
            pdf.ln(4)
        for line in p.split("\n"):
            pdf.set_x(15); pdf.multi_cell(180, 6, line)
        pdf.ln(2)
    for line in _signature(doc):
        pdf.set_x(110 if line.isupper() or line == doc.signer else 15)
        pdf.multi_cell(80, 6, line, align="C" if line.isupper() or line == doc.signer else "L")
    pdf.output(str(path))


def unmerged_provinces(n: int) -> list[str]:
    """The first ``n`` provinces (alphabetically) whose name is the same before and after 1 July 2025."""
    return sorted(p.name for p in vocab.provinces() if p.name == p.name_2025)[:n]


def synth(n_docs: int, out: Path, seed: int = 0, plant_rate: float = 0.1, start: int = 0,
          on_file=None, provinces: int | None = None, years: tuple[int, int] | None = None) -> list[Path]:
    """Write ``n_docs`` documents to ``out/raw`` and their truth to ``out/gold``; returns the files.
    ``provinces``: only that many (unmerged) provinces; ``years``: only documents dated in that span."""
    names = unmerged_provinces(provinces) if provinces else None
    raw, gold = out / "raw", out / "gold"
    raw.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    files = []
    for n in range(start, start + n_docs):
        doc = make_doc(rng, n, plant_rate, names, years)
        path = raw / doc.file
        if doc.fmt == "txt":
            write_txt(doc, path)
        elif doc.fmt == "html":
            write_html(doc, path, rng)
        elif doc.fmt == "docx":
            write_docx(doc, path)
        else:
            write_pdf(doc, path)
        (gold / f"{doc.file}.json").write_text(json.dumps(doc.gold, ensure_ascii=False, indent=1), encoding="utf-8")
        files.append(path)
        if on_file:
            on_file(path)
    return files


def flag_recall(con, gold_dir: Path) -> tuple[int, int, list[dict]]:
    """How many planted inconsistencies a flag of the same kind finds in the same file (and số hiệu)."""
    from ..checks import ref_key

    flags = con.execute("""SELECT regexp_extract(d.source_path, '[^/]+$'), f.kind, f.ref
                           FROM flags f JOIN documents d USING (doc_id)""").fetchall()
    have = {(file, kind, ref_key(ref)) for file, kind, ref in flags} | {(file, kind, None) for file, kind, _ in flags}
    found, missed, total = 0, [], 0
    for g in sorted(gold_dir.glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        for p in gold.get("planted", []):
            total += 1
            if (gold["file"], p["kind"], ref_key(p.get("ref"))) in have:
                found += 1
            else:
                missed.append({"file": gold["file"], **p})
    return found, total, missed
