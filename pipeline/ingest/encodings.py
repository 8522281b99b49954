"""Legacy Vietnamese encodings: TCVN3 (ABC, .VnTime fonts) and VNI-Windows, detected and converted.

Both survive in old archives as text files and as PDF text layers whose fonts map their glyphs
to Latin-1 code points ('Së T\u00ad ph¸p', 'Sôû Tö phaùp' for 'Sở Tư pháp').  A text is converted
when one of the tables turns it into plausible Vietnamese: far fewer characters that Vietnamese
never uses, and no word with two tone marks.  Tables are in ``data/legacy_encodings.yaml``.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).parent
ENCODINGS = ("tcvn3", "vni")
# Latin-1 letters and signs that Vietnamese written in Unicode never uses
JUNK = re.compile("[\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce\u00cf\u00d1\u00d6-\u00d8\u00db\u00dc\u00de\u00df"
                  "\u00e4-\u00e7\u00eb\u00ee\u00ef\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff]")
VIET = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
WORD = re.compile(r"[^\W\d_]+")
TONES = set("\u0300\u0301\u0303\u0309\u0323")


@functools.cache
def tables() -> dict:
    from extractors.vocab import read_yaml
    return read_yaml(DATA / "legacy_encodings.yaml")


@functools.cache
def _pattern(enc: str) -> re.Pattern:
    keys = sorted(tables()[enc], key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


def convert(text: str, enc: str) -> str:
    table = tables()[enc]
    return _pattern(enc).sub(lambda m: table[m.group()], text)


def _implausible(text: str) -> int:
    """Characters Vietnamese never uses, plus words carrying two tone marks."""
    two_tones = sum(1 for w in WORD.findall(text)
                    if sum(ch in TONES for ch in unicodedata.normalize("NFD", w)) > 1)
    return len(JUNK.findall(text)) + two_tones


def _viet_share_above(sample: str, share: float) -> bool:
    """Whether ``sample`` holds more Vietnamese letters than ``share`` of its words.  Words are runs
    of letters apart, so there are at most (len + 1) // 2: as many letters as that bound asks for,
    which Vietnamese text holds in its first lines, decide without counting the words."""
    bound = int(share * max((len(sample) + 1) // 2, 1)) + 1
    if sum(1 for _ in itertools.islice(VIET.finditer(sample), bound)) >= bound:
        return True
    return len(VIET.findall(sample)) > share * (len(WORD.findall(sample)) or 1)


def detect(text: str) -> str | None:
    """'tcvn3' or 'vni' when the text reads as that legacy encoding, else None."""
    sample = text[:20000]
    if not JUNK.search(sample):
        return None   # nothing a legacy font leaves behind: the usual case, decided in one scan
    if _viet_share_above(sample, 0.02):
        return None   # already Unicode Vietnamese
    before = _implausible(sample)
    if before < 5:
        return None
    scores = sorted((_implausible(convert(sample, enc)), enc) for enc in ENCODINGS)
    best, enc = scores[0]
    return enc if best <= 0.2 * before else None
