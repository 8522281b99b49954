"""`vanban serve` in a real browser: headless Chromium from Debian driven by Playwright, as a user would."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT, VANBAN, run_cli

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([str(VANBAN), "serve", "--db", str(db), "--port", str(self.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.url + "/version", timeout=2).read()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"vanban serve did not start: {self.proc.stdout.read()}")
                time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def server(sample_db):
    s = Server(sample_db)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, tmp_path):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("dialog", lambda d: (pg.errors.append("dialog: " + d.message), d.dismiss()))
    yield pg
    ctx.close()


def shot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    assert (tmp_path / f"{name}.png").stat().st_size > 0


def q(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_overview_counts_equal_the_database(server, sample_db, page, tmp_path):
    page.goto(server.url + "/")
    assert page.locator("#total-docs").get_attribute("data-value") == str(q(sample_db, "SELECT count(*) FROM documents")[0][0])
    for facet, sql in [("status", "SELECT status, count(*) FROM documents GROUP BY 1"),
                       ("province", "SELECT province, count(*) FROM documents WHERE province IS NOT NULL GROUP BY 1"),
                       ("flag_kind", "SELECT kind, count(*) FROM flags GROUP BY 1")]:
        shown = {}
        for row in page.locator(f'table[data-facet="{facet}"] tr').all():
            cells = row.locator("td").all()
            if len(cells) == 2:
                shown[cells[0].inner_text().strip()] = int(cells[1].get_attribute("data-value"))
        assert {k: v for k, v in shown.items() if k != "—"} == {str(k): v for k, v in q(sample_db, sql)}, facet
    assert page.locator('input[type="search"][name="q"]').count() == 1
    shot(page, tmp_path, "overview")


def test_facet_click_narrows_the_list_and_its_counts(server, sample_db, page, tmp_path):
    page.goto(server.url + "/documents")
    total = int(page.locator("#total").get_attribute("data-value"))
    assert total == q(sample_db, "SELECT count(*) FROM documents")[0][0]
    province, n = q(sample_db, "SELECT province, count(*) FROM documents WHERE province IS NOT NULL "
                               "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1")[0]
    page.locator(f'section[data-facet="province"] a.facet-value[data-value="{province}"]').click()
    page.wait_for_load_state()
    assert int(page.locator("#total").get_attribute("data-value")) == n < total
    assert page.locator("#documents tbody tr").count() == n
    # the other facets now count only that province's documents
    types = page.locator('section[data-facet="doc_type"] .n').all()
    assert sum(int(t.get_attribute("data-count")) for t in types) == n
    shot(page, tmp_path, "documents")


def test_accent_free_search_finds_accented_text(server, sample_db, page, tmp_path):
    want = {r[0] for r in q(sample_db, "SELECT doc_id FROM documents WHERE text ILIKE '%thi hành pháp luật%'")}
    assert want
    page.goto(server.url + "/")
    page.fill('input[type="search"][name="q"]', "THI HANH phap luat")
    page.press('input[type="search"][name="q"]', "Enter")
    page.wait_for_url("**/documents?q=*")
    got = {r.get_attribute("data-doc-id") for r in page.locator("#documents tbody tr").all()}
    assert want <= got
    hits = [h.inner_text().lower() for h in page.locator(".snippet mark.hit").all()]
    assert "thi hành pháp luật" in hits
    # Đ folds to D: a two-word phrase holding Đ/đ, written without accents, finds its document
    import regex
    from pipeline.report import fold
    doc_id, text = q(sample_db, "SELECT doc_id, text FROM documents WHERE regexp_matches(text, '[Đđ]') LIMIT 1")[0]
    phrase = regex.search(r"\w*[Đđ]\w*\s+\w+", text).group(0)
    page.goto(server.url + "/documents?" + urllib.parse.urlencode({"q": fold(phrase).upper()}))
    assert doc_id in {r.get_attribute("data-doc-id") for r in page.locator("#documents tbody tr").all()}, phrase
    shot(page, tmp_path, "search")


def test_document_highlights_each_citation_at_its_offsets(server, sample_db, page, tmp_path):
    doc_id = q(sample_db, "SELECT doc_id FROM flags GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0]
    page.goto(server.url + f"/document/{doc_id}")
    rows = q(sample_db, "SELECT char_start, char_end, surface FROM citations WHERE doc_id = ?", [doc_id])
    assert rows
    for start, end, surface in rows:
        m = page.locator(f'#doc-text mark[data-kind="citation"][data-char-start="{start}"][data-char-end="{end}"]:not([data-piece])')
        assert m.count() == 1, (start, end, surface)
        assert m.text_content() == surface
    # every highlight's text is the document's text at its offsets
    text = q(sample_db, "SELECT text FROM documents WHERE doc_id = ?", [doc_id])[0][0]
    for m in page.locator("#doc-text mark").all():
        s, e = int(m.get_attribute("data-char-start")), int(m.get_attribute("data-char-end"))
        assert m.text_content() == text[s:e]
    assert page.locator("#doc-text").text_content() == text
    page.locator('#doc-text mark[data-kind="citation"]').first.click()
    assert page.locator("#panel-body dl dt").count() >= 1
    shot(page, tmp_path, "document")


def test_clicking_a_flag_scrolls_its_sentence_into_view(server, sample_db, page, tmp_path):
    doc_id, flag_id = q(sample_db, "SELECT doc_id, flag_id FROM flags WHERE char_start IS NOT NULL "
                                   "ORDER BY char_start DESC LIMIT 1")[0]
    page.set_viewport_size({"width": 1400, "height": 300})
    page.goto(server.url + f"/document/{doc_id}")
    target = page.locator(f"#flag-{flag_id}")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.locator(f'.flag-link[data-target="flag-{flag_id}"]').click()
    page.wait_for_function(f"""() => {{ const r = document.getElementById('flag-{flag_id}').getBoundingClientRect();
                                        return r.top >= 0 && r.bottom <= window.innerHeight; }}""", timeout=5000)
    assert "current" in target.get_attribute("class")


def test_excel_download_holds_the_filtered_rows(server, sample_db, page, tmp_path):
    import openpyxl
    province = q(sample_db, "SELECT province FROM flags JOIN documents USING (doc_id) LIMIT 1")[0][0]
    page.goto(server.url + "/documents?" + urllib.parse.urlencode({"province": province}))
    with page.expect_download() as dl:
        page.locator("a.dl-xlsx").click()
    path = tmp_path / "documents.xlsx"
    dl.value.save_as(path)
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.values)
    header, body = rows[0], rows[1:]
    want = q(sample_db, "SELECT doc_id FROM documents WHERE province = ?", [province])
    assert sorted(r[header.index("doc_id")] for r in body) == sorted(r[0] for r in want)
    assert {r[header.index("province")] for r in body} == {province}
    for name in ("flags", "cited", "compare"):
        page.goto(server.url + f"/{name}")
        shot(page, tmp_path, name)
        assert not page.errors, page.errors


def test_a_document_with_script_runs_nothing(tmp_path, browser):
    raw = tmp_path / "raw"
    raw.mkdir()
    evil = ('<script>alert(1)</script><img src=x onerror="alert(2)"> Báo cáo số 12/BC-UBND ngày 01/02/2024 '
            'thực hiện Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ <b>"đậm"</b>\n')
    (raw / "evil.txt").write_text("ỦY BAN NHÂN DÂN TỈNH AN GIANG\n" + evil * 3, encoding="utf-8")
    db = tmp_path / "evil.duckdb"
    res = run_cli("run", str(raw), "--db", str(db), "--quiet")
    assert res.returncode == 0, res.stderr
    doc_id = q(db, "SELECT doc_id FROM documents")[0][0]
    s = Server(db)
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        fired = []
        pg.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
        for url in (f"/document/{doc_id}", "/documents?q=" + urllib.parse.quote("<script>alert(3)</script>"), "/cited"):
            pg.goto(s.url + url)
            pg.wait_for_timeout(200)
        pg.goto(s.url + f"/document/{doc_id}")
        assert "<script>alert(1)</script>" in pg.locator("#doc-text").text_content()
        assert pg.locator("#doc-text script, #doc-text img, #doc-text b").count() == 0
        assert fired == []
        pg.screenshot(path=str(tmp_path / "script-document.png"), full_page=True)
        ctx.close()
    finally:
        s.stop()


def test_the_page_says_when_the_data_changed(tmp_path, browser):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "data" / "raw" / os.listdir(ROOT / "data" / "raw")[0], raw)
    db = tmp_path / "live.duckdb"
    assert run_cli("run", str(raw), "--db", str(db), "--quiet").returncode == 0
    s = Server(db)
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(s.url + "/")
        assert pg.locator("#changed").is_hidden()
        # a run loads more files while the app is up
        for f in sorted(os.listdir(ROOT / "data" / "raw"))[1:3]:
            shutil.copy(ROOT / "data" / "raw" / f, raw)
        res = run_cli("run", str(raw), "--db", str(db), "--quiet")
        assert res.returncode == 0, res.stderr
        pg.wait_for_selector("#changed", state="visible", timeout=15000)
        pg.reload()
        assert int(pg.locator("#total-docs").get_attribute("data-value")) == q(db, "SELECT count(*) FROM documents")[0][0]
        ctx.close()
    finally:
        s.stop()


