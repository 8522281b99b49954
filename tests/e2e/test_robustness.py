"""Bad input of every kind gets a status and one line, the batch goes on, and nothing loaded is lost.

The bad-input corpus is made here, file by file; the run is the real CLI on a real DuckDB file.
"""
import io
import os
import random
import shutil
import signal
import subprocess
import time
import zipfile

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT, VANBAN, run_cli
from pipeline.ingest import ocr
from pipeline.ingest.encodings import convert, detect, tables as legacy_tables

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
GOOD = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 15/KH-UBND\nBắc Ninh, ngày 02 tháng 3 năm 2024\nKẾ HOẠCH\n"
        "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi tình hình thi hành pháp luật;\n")


def _pdf(lines: list[str], pages: int = 1, password: str | None = None) -> bytes:
    from fpdf import FPDF
    pdf = FPDF(format="A4")
    pdf.add_font("serif", "", FONT)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("serif", "", 11)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _scan(lines: list[str]) -> bytes:
    """A PDF whose page is only an image of the text (what a scanner makes)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont
    img = Image.new("L", (2480, 1200), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 44)
    for k, line in enumerate(lines):
        draw.text((150, 120 + 70 * k), line, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(buf, x=0, y=0, w=210)
    return bytes(pdf.output())


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _docx_bomb() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<" + b" " * 300_000_000 + b">"})


EXPECTED = {
    # file name: status (a prefix of the error that must be there, or None)
    "rỗng.pdf": ("empty", "file is empty"),
    "cắt ngang.pdf": ("unreadable", "corrupt PDF"),
    "hỏng.pdf": ("unreadable", "corrupt PDF"),
    "mật khẩu.pdf": ("unreadable", "encrypted PDF"),
    "giả.pdf": ("unreadable", "binary content"),
    "không phải zip.docx": ("unreadable", "binary content"),
    "bom.docx": ("refused", "DOCX refused"),
    "trống.html": ("empty", "no text found"),
    "rác.txt": ("unreadable", "binary content"),
    "tcvn3.txt": ("ok", None),
    "vni.txt": ("ok", None),
    "văn bản tốt.txt": ("ok", None),
    "ống.fifo": ("unsupported_format", "not a regular file"),
    "lưu trữ.zip/trong zip.txt": ("ok", None),
    "bom.zip": ("refused", "zip archive refused"),
    "trốn.zip": ("refused", "zip archive refused"),
    "500 trang.pdf": ("ok", None),
    "quá lớn.txt": ("refused", "text file is 50 MB (limit 32 MB for text)"),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    arch = root / "lưu trữ có dấu cách"
    arch.mkdir()
    good_pdf = _pdf(GOOD.splitlines())
    files = {
        "rỗng.pdf": b"",
        "cắt ngang.pdf": good_pdf[: len(good_pdf) // 3],
        "hỏng.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        "mật khẩu.pdf": _pdf(GOOD.splitlines(), password="bi mat"),
        "giả.pdf": bytes(range(256)) * 8,
        "không phải zip.docx": b"\x01\x02" + random.Random(7).randbytes(4000),
        "bom.docx": _docx_bomb(),
        "trống.html": b"<html><head><title>x</title></head></html>",
        "rác.txt": os.urandom(20_000),
        "tcvn3.txt": convert_back(GOOD, "tcvn3").encode("latin-1"),
        "vni.txt": convert_back(GOOD, "vni").encode("latin-1"),
        "văn bản tốt.txt": GOOD.encode("utf-8"),
        "lưu trữ.zip": _zip({"trong zip.txt": (GOOD + "Bản lưu trong tệp nén.\n").encode()}),
        "bom.zip": _zip({"a.txt": b"0" * 600_000_000}),
        "trốn.zip": _zip({"../../etc/thoát.txt": GOOD.encode()}),
        "500 trang.pdf": _pdf(GOOD.splitlines(), pages=500),
        "quá lớn.txt": (GOOD * 230_000).encode("utf-8")[: 50 * 2**20],
        "ảnh quét.pdf": _scan(GOOD.splitlines()),
    }
    for name, data in files.items():
        (arch / name).write_bytes(data)
    os.mkfifo(arch / "ống.fifo")
    (arch / "vòng lặp").symlink_to(arch, target_is_directory=True)    # a symlink loop
    (arch / "liên kết hỏng.txt").symlink_to(arch / "không có.txt")
    locked = arch / "khóa.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    db = root / "bad.duckdb"
    start = time.time()
    res = subprocess.run([*UNPRIVILEGED, str(VANBAN), "run", str(arch), "--db", str(db), "--timeout", "20"], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    return arch, db, res, time.time() - start


# root reads every file whatever its mode: run the CLI without the capabilities that let it, so an
# unreadable file is unreadable (setpriv is part of util-linux)
UNPRIVILEGED = (["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                 "--inh-caps", "-dac_override,-dac_read_search"] if os.geteuid() == 0 and shutil.which("setpriv") else [])


def convert_back(text: str, enc: str) -> str:
    """Unicode → legacy encoding, through the same tables (longest match first)."""
    table = {v: k for k, v in legacy_tables()[enc].items() if len(v) == 1}
    out = []
    for ch in text:
        out.append(table.get(ch, table.get(ch.lower(), ch) if enc == "tcvn3" else ch))
    return "".join(out)


def _statuses(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0]: (r[1], r[2], r[3], r[4]) for r in con.execute(
            "SELECT source_path, status, error, text_source, doc_id FROM documents").fetchall()}
    finally:
        con.close()


def test_every_bad_input_gets_its_status_and_the_run_goes_on(bad_run):
    arch, db, res, _ = bad_run
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    got = _statuses(db)
    for name, (status, error) in EXPECTED.items():
        key = str(arch / name)
        assert key in got, (name, sorted(got))
        assert got[key][0] == status, (name, got[key])
        if error:
            assert error in (got[key][1] or ""), (name, got[key])
    assert got[str(arch / "khóa.txt")][:2] == ("unreadable", "cannot open: Permission denied")
    assert got[str(arch / "liên kết hỏng.txt")][0] == "unreadable"
    # each problem is one line on the console, naming the file
    for name, (status, _) in EXPECTED.items():
        if status != "ok":
            lines = [ln for ln in res.stderr.splitlines() if name.split("/")[-1] in ln]
            assert len(lines) == 1, (name, res.stderr)


def test_legacy_encodings_read_as_unicode(bad_run):
    arch, db, _, _ = bad_run
    got = _statuses(db)
    assert got[str(arch / "tcvn3.txt")][2] == "tcvn3" and got[str(arch / "vni.txt")][2] == "vni"
    con = duckdb.connect(str(db), read_only=True)
    refs = con.execute("""SELECT d.source_path, c.ref, c.cited_date FROM citations c JOIN documents d USING (doc_id)
                          WHERE d.source_path LIKE '%.txt'""").fetchall()
    for name in ("tcvn3.txt", "vni.txt", "văn bản tốt.txt"):
        assert (str(arch / name), "59/2012/NĐ-CP", __import__("datetime").date(2012, 7, 23)) in refs, refs


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-vie is installed by .ci/run")
def test_scanned_pdf_is_read_by_ocr_and_marked(bad_run):
    arch, db, _, _ = bad_run
    con = duckdb.connect(str(db), read_only=True)
    status, source, pages = con.execute("SELECT status, text_source, ocr_pages FROM documents WHERE source_path = ?",
                                        [str(arch / "ảnh quét.pdf")]).fetchone()
    assert (status, source, pages) == ("ok", "ocr", [1])
    rows = con.execute("""SELECT c.ref, c.from_ocr FROM citations c JOIN documents d USING (doc_id)
                          WHERE d.source_path = ?""", [str(arch / "ảnh quét.pdf")]).fetchall()
    assert ("59/2012/NĐ-CP", True) in rows


def test_ocr_repairs_the_garbled_corpus_pdf(corpus_db):
    con = duckdb.connect(str(corpus_db), read_only=True)
    row = con.execute("""SELECT status, text_source, province, doc_type, ref, issue_date FROM documents
                         WHERE source_path LIKE '%009_laocai%'""").fetchone()
    if ocr.available():
        assert row[:5] == ("ok", "ocr", "Lào Cai", "Kế hoạch", "1105/KH-ĐKT") and str(row[5]) == "2026-03-10"
    else:
        assert row[0] == "garbled_text_layer"


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_encoding_examples(enc):
    examples = legacy_tables()["examples"][enc]
    for written, expected in examples:
        assert convert(written, enc) == expected
    # one example alone is too short to tell; together they are a sentence's worth
    assert detect(" ".join(written for written, _ in examples)) == enc
    assert detect(convert_back(GOOD * 2, enc)) == enc
    assert detect(GOOD * 2) is None


def test_database_in_use_fails_at_once(tmp_path):
    db = tmp_path / "busy.duckdb"
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    holder = subprocess.Popen([str(VANBAN.with_name("python")), "-c",
                               f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        start = time.time()
        res = run_cli("run", str(tmp_path / "a.txt"), "--db", str(db))
        assert time.time() - start < 15
        assert res.returncode == 2 and "in use" in res.stderr and "Traceback" not in res.stderr
    finally:
        holder.kill()


def test_old_database_is_migrated_forward(tmp_path):
    """A database made by the first version of vanban (documents and citations only) is brought up to date."""
    from pipeline.store import MIGRATIONS
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    con.execute(MIGRATIONS[0][1])
    con.execute("INSERT INTO schema_migrations VALUES (?, now())", [MIGRATIONS[0][0]])
    con.execute("INSERT INTO documents (doc_id, source_path, status, pipeline_version) VALUES ('x', '/gone.txt', 'ok', '1')")
    con.close()
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    res = run_cli("run", str(tmp_path / "a.txt"), "--db", str(db), "-q")
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    applied = [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    assert applied == sorted(name for name, _ in MIGRATIONS)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2       # the old row is kept
    assert con.execute("SELECT count(*) FROM citations").fetchone()[0] == 1


def test_kill_and_resume_twenty_times(tmp_path):
    """Killing a run at random points leaves a database that opens, holds only whole documents, and
    that a re-run completes to the same rows as an uninterrupted run."""
    arch = tmp_path / "arch"
    res = run_cli("synth", "--docs", "24", "--out", str(tmp_path / "s"), "--seed", "4")
    assert res.returncode == 0, res.stderr
    (tmp_path / "s" / "raw").rename(arch)
    ref = tmp_path / "ref.duckdb"
    assert run_cli("run", str(arch), "--db", str(ref), "-q", "--workers", "1").returncode == 0
    want = _snapshot(ref)
    rng = random.Random(20)
    db = tmp_path / "k.duckdb"
    for attempt in range(20):
        proc = subprocess.Popen([str(VANBAN), "run", str(arch), "--db", str(db), "-q", "--workers", "1", "--batch", "2"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        con = duckdb.connect(str(db), read_only=True)   # opens
        whole = con.execute("""SELECT count(*) FROM documents d WHERE d.status = 'ok' AND NOT EXISTS
                               (SELECT 1 FROM dates x WHERE x.doc_id = d.doc_id)""").fetchone()[0]
        orphans = con.execute("SELECT count(*) FROM citations WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0]
        con.close()
        assert whole == 0 and orphans == 0, attempt
        if attempt % 5 == 4:   # every fifth time, finish the run and start again from an empty database
            assert run_cli("run", str(arch), "--db", str(db), "-q").returncode == 0
            assert _snapshot(db) == want, attempt
            db.unlink()
    if db.exists():
        assert run_cli("run", str(arch), "--db", str(db), "-q").returncode == 0
        assert _snapshot(db) == want


def _snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(str, con.execute(f"SELECT * {'EXCLUDE (loaded_at)' if t == 'documents' else ''} FROM {t}").fetchall()))
                for t in ("documents", "citations", "dates", "budget", "staffing", "deadlines", "counts", "flags")}
    finally:
        con.close()


# --- adversarial text --------------------------------------------------------------------------

ADVERSARIAL = st.sampled_from([
    "Nghị định số", "59/2012/NĐ-", "CP", "ngày 31/02/2024", "khoản 3 Điều", "Luật", "Luật Tổ chức", "sửa đổi, bổ sung",
    "1.120", "triệu đồng", "tỷ", "/năm", "người", "cụ thể:", "gồm:", "\n\n", "\n- ", "| ", " | ", "Đơn vị: triệu đồng",
    "trước ngày", "hằng năm", "tháng 13/2025", "((((", "))))", "Số:", "V/v", "Kính gửi:", "TM. ỦY BAN NHÂN DÂN",
    "\f", "\u0301", "\ufffe", "QH15¹", "¸µ¶®", "aùaø", "9" * 40, "." * 30, " ", "\t", "ĐƠN VỊ", "cấp xã", "của",
])


@settings(max_examples=120, deadline=None)
@given(st.lists(ADVERSARIAL, max_size=60).map("".join) | st.text(max_size=300))
def test_normalizer_and_every_extractor_take_any_text(text):
    from extractors.citations import find_citations
    from extractors.dates import find_dates
    from extractors.metadata import extract_metadata
    from extractors.relations import find_implements
    from pipeline.store.rows import extract
    from pipeline.normalize import normalize

    norm = normalize(text, "txt")
    t = norm.text
    cites = find_citations(t)
    found = cites + find_dates(t) + find_implements(t, cites)
    ex = extract(norm)
    found += ex.budget + ex.staffing + ex.deadlines + ex.counts + ex.citations
    for x in found:
        assert 0 <= x.start <= x.end <= len(t) and t[x.start:x.end] == x.surface
    meta = extract_metadata(t)
    assert all(0 <= sp.start <= sp.end <= len(t) for sp in meta.spans.values())
    assert detect(text) in (None, "tcvn3", "vni")
