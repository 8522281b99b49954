"""Resource limits of the processes that read files: they die with the run, hold a memory ceiling,
and each file gets a time budget that scales with its size.

- ``die_with_parent``: Linux ``PR_SET_PDEATHSIG``, so ``kill -9`` or SIGTERM of the run ends its
  workers too (elsewhere, a worker notices its parent is gone at its next file).
- ``memory_ceiling``: ``RLIMIT_AS`` of each worker (``VANBAN_WORKER_MEMORY_MB``, default 6144): a
  file that would take more gets ``MemoryError`` (its row says so) instead of the machine's memory.
- ``budget``: seconds one file may take, from its size (``BASE_SECONDS`` + ``SECONDS_PER_MB``),
  never more than ``--timeout``; the worker's CPU limit is set a little above it, so even a loop
  inside a C library (a regex) is stopped: the kernel ends the worker, which is replaced, and the
  file gets ``timeout``.
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import sys

BASE_SECONDS = 60.0
SECONDS_PER_MB = 20.0
MEMORY_MB = int(os.environ.get("VANBAN_WORKER_MEMORY_MB", "6144"))

IN_WORKER = False   # set in worker processes: only there may the CPU limit end the process


def die_with_parent() -> None:
    global IN_WORKER
    IN_WORKER = True
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:   # the run ended before the signal was armed
        os._exit(1)


def memory_ceiling(mb: int = MEMORY_MB) -> None:
    if mb <= 0:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = mb * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def budget(size: int, timeout: float | None) -> float | None:
    """Seconds one file of ``size`` bytes may take (None: no limit)."""
    if not timeout:
        return None
    return min(timeout, BASE_SECONDS + SECONDS_PER_MB * size / 2**20)


def wall_budget(path, options) -> float:
    try:
        size = path.stat().st_size
    except (OSError, AttributeError):
        size = 0
    return budget(size, options.timeout) or 0.0


def cpu_limit(seconds: float | None) -> None:
    """In a worker: the kernel ends the process if this file uses more CPU than its budget allows."""
    if not IN_WORKER:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if seconds is None:
            resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        want = int(used.ru_utime + used.ru_stime + 2 * seconds + 10)
        resource.setrlimit(resource.RLIMIT_CPU, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))
    except (ValueError, OSError):
        pass
