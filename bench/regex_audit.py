"""Every compiled pattern of the project, timed over adversarial strings (no pattern may be super-linear).

Patterns are discovered, not listed: every module of ``extractors`` and ``pipeline`` is imported and
its globals walked (lists, tuples, dicts, sets and dataclass instances too, a few levels deep),
together with what its zero-argument cached loaders return (the vocabulary's compiled matchers), so
a new pattern is covered without an edit here.  Used by tests/e2e/test_regex_growth.py, tests/unit/test_regex_linear.py and
bench/bench_real.py.
"""
from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
import time

import regex

PACKAGES = ("extractors", "pipeline")
SKIP_MODULES = ("pipeline.synth",)   # the generator's patterns never see user input
PATTERN_TYPES = (regex.Pattern, re.Pattern)


def _walk(obj, where: str, out: dict, depth: int = 0, seen: set | None = None) -> None:
    seen = set() if seen is None else seen
    if depth > 4 or id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, PATTERN_TYPES):
        out.setdefault((type(obj), obj.pattern, obj.flags), (where, obj))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _walk(v, f"{where}[{k!r}]"[:120], out, depth + 1, seen)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for i, v in enumerate(obj):
            _walk(v, f"{where}[{i}]", out, depth + 1, seen)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            _walk(getattr(obj, f.name, None), f"{where}.{f.name}", out, depth + 1, seen)


def modules():
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        yield pkg
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            if info.name.startswith(SKIP_MODULES):
                continue
            try:
                yield importlib.import_module(info.name)
            except ImportError:   # an optional extra (dask) not installed
                continue


def all_patterns() -> dict[str, re.Pattern | regex.Pattern]:
    """where → compiled pattern, one entry per distinct (engine, pattern, flags)."""
    found: dict = {}
    for mod in modules():
        for name, value in vars(mod).items():
            where = f"{mod.__name__}.{name}"
            if callable(value) and hasattr(value, "cache_info") and getattr(value, "__module__", None) == mod.__name__:
                try:
                    if not inspect.signature(value).parameters:
                        value = value()
                        where += "()"
                except Exception:   # noqa: BLE001 - a loader that needs more: its patterns are reached elsewhere
                    continue
            _walk(value, where, found)
    return dict(found.values())


def adversarial(k: int) -> dict[str, str]:
    """The inputs of issue 17, each of k repetitions."""
    slug = "".join(f"{w}-{i % 97}/" if i % 3 == 0 else f"{w}{i % 10}-" for i, w in
                   zip(range(k), __import__("itertools").cycle(["van", "ban", "QH", "nd", "cp", "TTg", "ubnd"])))
    return {
        "slug": slug,
        "so 1/": "số 1/" * k,
        "1.1.1.": "1.1.1." * k,
        "Dieu": "Điều " * k,
        "ngay": "ngày " * k,
        "digits": "1" * (4 * k),
    }


def time_pattern(p, texts: dict[str, str], timeout: float | None = None) -> float:
    """CPU seconds to find every match of ``p`` in every text (regex's timeout raises TimeoutError);
    CPU, not wall time, so that other processes on a shared machine do not count."""
    t = time.process_time()
    for text in texts.values():
        if isinstance(p.pattern, bytes):   # a pattern over file bytes (PDF streams) runs on the text's UTF-8
            text = text.encode("utf-8")
        if isinstance(p, regex.Pattern):
            for _ in p.finditer(text, timeout=timeout):
                pass
        else:
            for _ in p.finditer(text):
                pass
    return time.process_time() - t


def audit(k_small: int = 1000, factor: int = 8, timeout: float = 2.0, repeat: int = 3) -> list[dict]:
    """For each pattern: seconds at k and factor·k repetitions, and whether it looks super-linear."""
    small, large = adversarial(k_small), adversarial(k_small * factor)
    rows = []
    for where, p in all_patterns().items():
        row = {"where": where, "pattern": p.pattern[:80]}
        try:
            t1 = min(time_pattern(p, small, timeout) for _ in range(repeat))
            t2 = min(time_pattern(p, large, timeout) for _ in range(repeat))
            row.update(small=t1, large=t2, timeout=False)
        except TimeoutError:
            row.update(small=None, large=None, timeout=True)
        rows.append(row)
    return rows


def super_linear(row: dict, factor: int = 8, floor: float = 0.05) -> bool:
    """Timed out, or grew 3× faster than the input (a quadratic pattern grows ``factor``× faster),
    above a floor that a loaded machine's noise can reach."""
    if row["timeout"]:
        return True
    return row["large"] > floor and row["large"] > 3 * factor * row["small"]
