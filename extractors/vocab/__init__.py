"""The extractors' vocabulary: the YAML/CSV/text files in this folder, each read on first use.

Patterns and lists live in YAML/CSV files with examples; this module only reads them.
"""
from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import regex
import yaml

DATA = Path(__file__).parent
WS = regex.compile(r"\s+")   # a run of whitespace, compiled once for the many places that collapse it
# the national motto that heads every administrative document (with or without its diacritics), in capitals:
# 'nước Cộng hòa xã hội chủ nghĩa Việt Nam' in running text is not a header
MOTTO = regex.compile(r"C[ỘO]NG\s+H(?:[ÒO]A|OÀ)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", regex.V1)
# footnote numbers as superscripts (QH151 → QH15¹; a DOCX footnote reference)
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def read_yaml(path: Path):
    """A YAML data file, by libyaml's safe loader where PyYAML has it (the same data as ``yaml.safe_load``,
    ~10x faster: the vocabulary took ~0,1 CPU-s of every process's start)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load(name: str):
    """The one public loader: a YAML file of this folder, parsed when a caller first needs it."""
    return read_yaml(DATA / name)


def alternation(words) -> str:
    """A regex alternation of literal words, longest first, any whitespace between their parts."""
    return "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


def whole_words(words, flags: int = regex.V1 | regex.IGNORECASE) -> regex.Pattern:
    """Any of ``words`` with no letter right before or after it: the whole-word form every vocabulary
    list of the figure rules is matched in."""
    return regex.compile(rf"(?<!\p{{L}})(?:{alternation(words)})(?!\p{{L}})", flags)


def _csv(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass(frozen=True)
class DocType:
    type: str
    words: tuple[str, ...]
    codes: tuple[str, ...]
    named: bool
    examples: tuple[str, ...]


@functools.cache
def doc_types() -> tuple[DocType, ...]:
    return tuple(
        DocType(d["type"], tuple(d["words"]), tuple(d.get("codes") or ()), bool(d.get("named")), tuple(d.get("examples") or ()))
        for d in load("doc_types.yaml")
    )


@functools.cache
def type_by_code() -> dict[str, str]:
    """Type code inside a symbol (NĐ, QĐ, TTr …) → type name; keys upper-cased."""
    return {c.upper(): d.type for d in doc_types() for c in d.codes}


@functools.cache
def type_by_word() -> dict[str, str]:
    """Type word as written (lower-cased) → type name."""
    return {w.lower(): d.type for d in doc_types() for w in d.words}


@dataclass(frozen=True)
class Issuer:
    matcher: regex.Pattern
    issuer: str
    examples: tuple[str, ...]
    local: bool = False      # a body every province has: its numbers repeat from province to province


@functools.cache
def issuers() -> tuple[Issuer, ...]:
    out = []
    for d in load("issuers.yaml"):
        pat = d.get("pattern") or regex.escape(d["code"])
        out.append(Issuer(regex.compile(rf"(?:{pat})", regex.V1 | regex.IGNORECASE), d["issuer"],
                          tuple(d.get("examples") or ()), bool(d.get("local"))))
    return tuple(out)


@functools.cache
def national_issuers() -> frozenset[str]:
    """Issuers whose số hiệu name one document nationwide (Chính phủ, Bộ Tư pháp …)."""
    return frozenset(i.issuer for i in issuers() if not i.local)


@functools.lru_cache(maxsize=4096)
def issuer_for_segment(segment: str) -> str | None:
    for i in issuers():
        if i.matcher.fullmatch(segment):
            return i.issuer
    return None


@dataclass(frozen=True)
class Province:
    name: str
    kind: str
    name_2025: str
    merged: bool
    aliases: tuple[str, ...]
    domains: tuple[str, ...]


@functools.cache
def provinces() -> tuple[Province, ...]:
    return tuple(
        Province(r["province"], r["kind"], r["province_2025"], r["merged"] == "yes",
                 tuple(a for a in r["aliases"].split(";") if a), tuple(d for d in r["domains"].split(";") if d))
        for r in _csv("provinces.csv")
    )


@functools.cache
def furniture() -> dict[str, tuple[tuple[regex.Pattern, tuple[str, ...]], ...]]:
    raw = load("furniture.yaml")
    return {
        key: tuple((regex.compile(e["pattern"], regex.V1 | regex.MULTILINE | regex.IGNORECASE), tuple(e.get("examples") or ()))
                   for e in entries)
        for key, entries in raw.items()
    }


@functools.cache
def law_names() -> tuple[str, ...]:
    """Names of laws (without the word Luật/Bộ luật), longest first, for bounding a named citation."""
    names = [ln.strip() for ln in (DATA / "law_names.txt").read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return tuple(sorted(set(names), key=len, reverse=True))
