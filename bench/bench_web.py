"""Page times of `vanban serve` on a large archive: prints the median and 90th percentile per page.

    .venv/bin/python bench/bench_web.py [--docs N] [--work DIR] [--db FILE] [--repeat R]

Without --db: generates N documents with `vanban synth` (default 13 000, the size the target is set
at) and loads them with `vanban run` into WORK/bench.duckdb (kept, and reused when it is there).
Then starts `vanban serve` on a free port of 127.0.0.1 and requests each page R times (one at a time,
a bounded loop against this machine only).  Target: every median under 300 ms.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb

VANBAN = Path(sys.executable).with_name("vanban")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(work: Path, docs: int) -> Path:
    db = work / "bench.duckdb"
    if db.exists():
        return db
    if not (work / "raw").is_dir():
        subprocess.run([str(VANBAN), "synth", "--docs", str(docs), "--out", str(work), "--seed", "1"], check=True)
    t = time.perf_counter()
    subprocess.run([str(VANBAN), "run", str(work / "raw"), "--db", str(db), "--quiet"], check=True)
    print(f"loaded {docs} documents in {time.perf_counter() - t:.0f} s")
    return db


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=13000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-bench-web"))
    ap.add_argument("--db", type=Path)
    ap.add_argument("--repeat", type=int, default=15)
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    db = a.db or build(a.work, a.docs)
    con = duckdb.connect(str(db), read_only=True)
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    doc_id = con.execute("SELECT doc_id FROM flags GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()
    doc_id = doc_id[0] if doc_id else con.execute("SELECT doc_id FROM documents LIMIT 1").fetchone()[0]
    province = con.execute("SELECT province FROM documents WHERE province IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    con.close()
    port = free_port()
    proc = subprocess.Popen([str(VANBAN), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/version", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "overview": "/",
            "documents": "/documents",
            "documents, page 100": "/documents?page=100",
            "documents, facet": "/documents?" + urllib.parse.urlencode({"province": province}),
            "documents, sorted by date desc": "/documents?sort=issue_date&desc=1",
            "search 'thi hanh phap luat'": "/documents?q=thi+hanh+phap+luat",
            "search + facet": "/documents?" + urllib.parse.urlencode({"q": "ke hoach", "province": province}),
            "one document": f"/document/{doc_id}",
            "flags": "/flags",
            "flags, one province": "/flags?" + urllib.parse.urlencode({"province": province}),
            "cited documents": "/cited",
            "compare": "/compare?by=province_2025&metric=staffing",
            "documents.xlsx (one province)": "/documents.xlsx?" + urllib.parse.urlencode({"province": province}),
        }
        print(f"{n_docs} documents in {db} ({db.stat().st_size / 2**20:.0f} MiB), {a.repeat} requests a page")
        print(f"{'page':34} {'median ms':>10} {'p90 ms':>8} {'KiB':>7}")
        worst = 0.0
        for name, path in pages.items():
            times, size = [], 0
            for _ in range(a.repeat):
                t = time.perf_counter()
                size = len(urllib.request.urlopen(base + path, timeout=120).read())
                times.append((time.perf_counter() - t) * 1000)
            med = statistics.median(times)
            p90 = sorted(times)[int(0.9 * (len(times) - 1))]
            worst = max(worst, med)
            print(f"{name:34} {med:10.0f} {p90:8.0f} {size / 1024:7.0f}")
        print(f"slowest median: {worst:.0f} ms (target: under 300 ms) -> {'met' if worst < 300 else 'NOT met'}")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
