"""The app's copy of the database: taken when the file changes and no run holds it, prepared once (the
schema brought up to date and :data:`pipeline.report.WEB_TABLES` written, in the copy only), then
opened read-only once; each request reads it through a cursor of its own (opening the file costs ~20 ms of
CPU, a cursor nothing).  The database itself is only read while it is copied, so ``vanban run`` can write
into it meanwhile."""
from __future__ import annotations

import atexit
import contextlib
import shutil
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

import duckdb

from .. import report
from ..store import SANDBOX, migrate


class Snapshot:
    """A prepared copy of the database, refreshed when the file changes; ``memo`` keeps what a page computes
    from one copy (the overview, the flag filters) until the next."""

    def __init__(self, db: Path):
        self.db = Path(db)
        self.dir = Path(tempfile.mkdtemp(prefix="vanban-serve-"))
        atexit.register(shutil.rmtree, self.dir, True)
        self.path, self.stamp, self.taken_at, self.busy = None, None, None, False
        self.lock = threading.Lock()
        self._memo: dict = {}                 # of the copy at self.path
        self._con: duckdb.DuckDBPyConnection | None = None   # the copy, opened read-only
        self._open: dict[int, dict] = {}      # id of an open connection -> the memo of the copy it reads
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
            prepare(target)
            con = duckdb.connect(str(target), read_only=True, config=SANDBOX)
            # the old copy's connection closes with the last cursor reading it; its file can go now (POSIX)
            old, self.path, self._con, self._memo, self.stamp, self.busy = self.path, target, con, {}, stamp, False
            self.taken_at = datetime.now()
            if old is not None:
                for p in (old, Path(str(old) + ".wal")):
                    with contextlib.suppress(OSError):
                        p.unlink()

    def memo(self, con: duckdb.DuckDBPyConnection, key, compute: Callable[[], object]):
        """``compute()`` once per copy of the database (``con`` reads it; ``key`` names what is computed)."""
        memo = self._open[id(con)]
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    @contextlib.contextmanager
    def connect(self):
        with contextlib.suppress(duckdb.Error):
            self.refresh()
        with self.lock:
            con, memo = self._con.cursor(), self._memo
        self._open[id(con)] = memo
        try:
            yield con
        finally:
            self._open.pop(id(con), None)
            con.close()


def prepare(path: Path) -> None:
    """Bring the copy's schema up to date (a database of an older vanban) and write the app's tables into it."""
    # uncompressed: the app's tables are read a few rows at a time (see web_texts)
    con = duckdb.connect(str(path), config={**SANDBOX, "force_compression": "uncompressed"})
    try:
        migrate(con)
        con.execute(report.WEB_TABLES)
        con.execute("CHECKPOINT")
    finally:
        con.close()
