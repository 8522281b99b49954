"""The real-text benchmark behind `make bench-real`: throughput, time per stage, slowest documents,
memory and the unchanged re-run over an archive of real texts (VANBAN_ARCHIVE, default
../shared/archive/raw relative to the repository).

    .venv/bin/python bench/bench_real.py [--archive DIR] [--work DIR] [--regex-k K] [--end-to-end]

All figures of one run are printed together; compare ratios within a run (the machine is shared).
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = Path(os.environ.get("VANBAN_ARCHIVE", ROOT.parent / "shared" / "archive" / "raw"))
VANBAN = Path(sys.executable).with_name("vanban")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
TICK = os.sysconf("SC_CLK_TCK")

from bench import tree_rss_mb  # noqa: E402  (the same process-tree sampler as make bench)


def own_cpu(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK   # utime, stime of the process itself
    except (FileNotFoundError, ProcessLookupError):
        return None


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str]) -> dict:
    """Wall seconds, peak RSS of the process tree, CPU of the whole tree and of the main process."""
    peak, main_cpu = 0.0, 0.0
    cpu0, start = children_cpu(), time.perf_counter()
    proc = subprocess.Popen([str(VANBAN), *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def sample():
        nonlocal peak, main_cpu
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            c = own_cpu(proc.pid)
            main_cpu = c if c is not None else main_cpu
            time.sleep(0.1)

    t = threading.Thread(target=sample)
    t.start()
    _, err = proc.communicate()
    t.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"vanban {' '.join(cmd[:1])} failed: {err[-2000:]}")
    return {"wall": time.perf_counter() - start, "rss": peak, "cpu": children_cpu() - cpu0, "main_cpu": main_cpu}


class Stages:
    """CPU seconds per stage, by wrapping the stage functions where the pipeline looks them up."""

    def __init__(self):
        self.cpu = collections.Counter()
        self._undo = []

    def wrap(self, owner, name: str, stage: str):
        fn = getattr(owner, name)
        cpu = self.cpu

        def timed(*a, **kw):
            t = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                cpu[stage] += time.process_time() - t
        setattr(owner, name, timed)
        self._undo.append((owner, name, fn))

    def install(self):
        import dataclasses

        from extractors import document, figures
        for name, stage in [("extract_metadata", "extract: metadata"), ("find_citations", "extract: citations"),
                            ("find_grids", "extract: tables (grids)"), ("find_dates", "extract: dates"),
                            ("find_relations", "extract: relations")]:
            self.wrap(document, name, stage)
        self.wrap(figures, "count_list_items", "extract: counts")
        kinds = []
        for k in figures.KINDS:
            holder = type("H", (), {"find": staticmethod(k.find), "claims": staticmethod(k.claims)})
            self.wrap(holder, "find", f"extract: {k.name}")
            self.wrap(holder, "claims", f"extract: {k.name}")
            kinds.append(dataclasses.replace(k, find=holder.find, claims=holder.claims))
        self._undo.append((figures, "KINDS", figures.KINDS))
        figures.KINDS = tuple(kinds)

    def uninstall(self):
        for owner, name, fn in reversed(self._undo):
            setattr(owner, name, fn)


def stage_pass(files: list[Path]) -> tuple[Stages, list[tuple[float, Path]], float, float]:
    """Every file in this process, stage by stage; (stages, per-document seconds, MB of text, cit+dates s)."""
    from extractors.citations import find_citations
    from extractors.dates import find_dates
    from extractors.figures import _tag
    from pipeline.ingest.read import read_document
    from pipeline.normalize import normalize
    from pipeline.store.rows import citation_rows, extract, figure_rows
    _tag("tổ chức 5 cuộc kiểm tra")   # the tagger's model loads once per process: start-up, not work
    st = Stages()
    st.install()
    per_doc, texts = [], []
    try:
        for f in files:
            t0 = time.process_time()
            data = f.read_bytes()
            raw = read_document(f, data, "never")
            t1 = time.process_time()
            st.cpu["read"] += t1 - t0
            if raw.status not in ("ok", "garbled_text_layer"):
                continue
            norm = normalize(raw.raw_text, raw.format, raw.page_starts)
            t2 = time.process_time()
            st.cpu["normalize"] += t2 - t1
            ex = extract(norm, raw.tables)
            t3 = time.process_time()
            citation_rows("x", norm, ex.citations)
            figure_rows("x", norm, ex)
            t4 = time.process_time()
            st.cpu["rows"] += t4 - t3
            per_doc.append((t4 - t0, f))
            texts.append(norm.text)
    finally:
        st.uninstall()
    mb = sum(len(t.encode()) for t in texts) / 1e6
    t = time.process_time()
    for x in texts:
        find_citations(x)
        find_dates(x)
    return st, per_doc, mb, time.process_time() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--archive", type=Path, default=ARCHIVE)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "vanban-bench-real")
    ap.add_argument("--regex-k", type=int, default=20000, help="repetitions of each adversarial input")
    ap.add_argument("--end-to-end", action="store_true",
                    help="only the runs of vanban (throughput, writer share, memory, re-run, flags), not the in-process passes")
    a = ap.parse_args()
    cores = os.cpu_count() or 1
    files = sorted(p for p in a.archive.rglob("*") if p.is_file())
    if not files:
        sys.exit(f"no files under {a.archive} (set VANBAN_ARCHIVE)")
    mb = sum(f.stat().st_size for f in files) / 1e6
    shutil.rmtree(a.work, ignore_errors=True)
    a.work.mkdir(parents=True)
    load = os.getloadavg()
    print(f"archive {a.archive}: {len(files)} files, {mb:.1f} MB; {cores} cores, load average {load[0]:.2f} at start")

    # --- end to end -----------------------------------------------------------------------------------
    db = lambda name: str(a.work / f"{name}.duckdb")   # noqa: E731
    paths = [str(f) for f in files]
    one = run(["run", *paths, "--db", db("one"), "--workers", "1", "-q"])
    two = run(["run", *paths, "--db", db("two"), "--workers", "2", "-q"])
    rerun = run(["run", *paths, "--db", db("two"), "--workers", "2", "-q"])
    check = run(["check", "--db", db("two")])
    rss = {}
    for pct in (10, 50):
        part = files[: max(1, len(files) * pct // 100)]
        rss[pct] = run(["run", *map(str, part), "--db", db(f"p{pct}"), "--workers", "2", "-q"])["rss"]
    rss[100] = two["rss"]

    rows = [
        ("end to end, 1 worker: s / MB/s per core / docs/s", f"{one['wall']:.1f} / {mb / one['wall']:.2f} / {len(files) / one['wall']:.1f}"),
        ("end to end, 2 workers: s / MB/s per core / docs/s",
         f"{two['wall']:.1f} / {mb / two['wall'] / 2:.2f} / {len(files) / two['wall']:.1f}"),
        ("2 workers / 1 worker", f"{one['wall'] / two['wall']:.2f}x"),
        ("MB per CPU-second of the process tree, 1 worker / 2 workers (load-independent)",
         f"{mb / one['cpu']:.2f} / {mb / two['cpu']:.2f}"),
        ("CPU of the run (2 workers): whole tree / main process (writer)",
         f"{two['cpu']:.1f} s / {two['main_cpu']:.1f} s = {100 * two['main_cpu'] / max(two['cpu'], 1e-9):.0f} %"),
        ("unchanged re-run: wall / CPU of the tree", f"{rerun['wall']:.2f} s = {100 * rerun['wall'] / two['wall']:.1f} % of the "
                                                     f"first run / {rerun['cpu']:.2f} s"),
        ("flags (vanban check) on the whole archive", f"{check['wall']:.1f} s"),
        ("peak RSS of the process tree at 10 / 50 / 100 %",
         f"{rss[10]:.0f} / {rss[50]:.0f} / {rss[100]:.0f} MB (100 % = {rss[100] / rss[10]:.2f}x 10 %)"),
    ]
    targets = [
        ("end to end MB/s per core (2 workers)", mb / two["wall"] / 2, "≥ 2", mb / two["wall"] / 2 >= 2),
        ("2 workers / 1 worker", one["wall"] / two["wall"], "≥ 1.7", one["wall"] / two["wall"] >= 1.7),
        ("peak RSS at 100 % / at 10 %", rss[100] / rss[10], "≤ 1.2", rss[100] / rss[10] <= 1.2),
        ("unchanged re-run / first run", rerun["wall"] / two["wall"], "< 0.02", rerun["wall"] / two["wall"] < 0.02),
    ]
    if a.end_to_end:
        report(rows, targets)
        return

    # --- in process: stages, slowest documents, citations + dates ----------------------------------
    st, per_doc, mb_text, cit_s = stage_pass(files)

    # --- patterns over adversarial inputs ----------------------------------------------------------
    import regex_audit
    big = regex_audit.adversarial(a.regex_k)
    slow = []
    for where, p in regex_audit.all_patterns().items():
        try:
            slow.append((regex_audit.time_pattern(p, big, timeout=5.0), where))
        except TimeoutError:
            slow.append((float("inf"), where))
    slow.sort(reverse=True)
    rows.append(("citations + dates in process over the normalized texts",
                 f"{mb_text:.1f} MB in {cit_s:.1f} s = {mb_text / cit_s:.1f} MB/s per core"))
    width = max(len(k) for k, _ in rows)
    print()
    for k, v in rows:
        print(f"{k:<{width}}  {v}")

    total = sum(st.cpu.values())
    print(f"\nCPU per stage, one process over all {len(files)} files ({total:.1f} s, {mb / total:.2f} MB/s per core):")
    print(f"| stage | CPU s | share |\n|---|---:|---:|")
    extract_total = sum(v for k, v in st.cpu.items() if k.startswith("extract"))
    for k, v in sorted(st.cpu.items(), key=lambda kv: -kv[1]):
        print(f"| {k} | {v:.1f} | {100 * v / total:.0f} % |")
    print(f"| (all extractors) | {extract_total:.1f} | {100 * extract_total / total:.0f} % |")
    print(f"| load + flags (writer process of the 2-worker run) | {two['main_cpu']:.1f} | |")

    print("\n10 slowest documents (CPU s, read to rows):")
    for s, f in sorted(per_doc, reverse=True)[:10]:
        print(f"  {s:6.2f}  {f.stat().st_size / 1e3:7.0f} KB  {f.name}")
    print(f"\nslowest patterns over issue 17's adversarial inputs ({a.regex_k} repetitions each):")
    for s, where in slow[:5]:
        print(f"  {s:6.2f} s  {where}")

    targets.insert(1, ("citations + dates MB/s per core", mb_text / cit_s, "≥ 20", mb_text / cit_s >= 20))
    targets.append(("no pattern over 5 s on the adversarial inputs", slow[0][0], "< 5", slow[0][0] < 5))
    report([], targets)


def report(rows: list[tuple[str, str]], targets: list[tuple[str, float, str, bool]]) -> None:
    """The measures (when not printed yet), each target judged, and the load average at the end."""
    if rows:
        width = max(len(k) for k, _ in rows)
        print()
        for k, v in rows:
            print(f"{k:<{width}}  {v}")
    print()
    for name, value, need, ok in targets:
        print(f"{'MET    ' if ok else 'NOT MET'}  {name}: {value:.3f} (target {need})")
    load = os.getloadavg()
    print(f"\nload average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
