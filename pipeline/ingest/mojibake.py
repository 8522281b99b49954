"""ftfy's mojibake test (``ftfy.badness.is_bad``), with the same answer on every text, in a fraction of
its time on Vietnamese.

``is_bad`` runs one regex of ~40 branches at every character; on Vietnamese text, where almost every
word holds an accented Latin letter, that costs ~2 ms per 10 KB (70 % of reading an archive of text
files).  Most branches need a character that Vietnamese written in Unicode never uses (a Latin-1
sign, a box-drawing or Cyrillic letter, a curly quote…): those are tried only in a few characters
around each such character.  The branches that plain Vietnamese can match (an accented small letter
before an accented capital, ``Â`` between a letter and a space, anchored or repeated branches) are
run over the whole text.  Which branch is which is worked out from ftfy's own pattern when this
module is imported, so an ftfy upgrade cannot make the two answers differ (on an unexpected pattern
shape every text goes to ``is_bad`` itself).
"""
from __future__ import annotations

import functools
import re
import unicodedata

try:   # the parser behind re.compile; sre_parse / sre_compile before Python 3.11
    from re import _compiler as _sre_compile, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# characters of plain Vietnamese text in Unicode: printable ASCII, line ends, and the Vietnamese letters
_VOWELS = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
PLAIN = frozenset({chr(c) for c in range(32, 127)} | set("\t\n\r\f\vđĐ")
                  | {unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES})
_OTHER = re.compile("[^" + "".join(re.escape(c) for c in sorted(PLAIN)) + "]")
_SINGLE = {_sre_parse.LITERAL, _sre_parse.NOT_LITERAL, _sre_parse.IN, _sre_parse.ANY, _sre_parse.CATEGORY}


def _weight(c: str) -> int:
    """A rough frequency of a PLAIN character in Vietnamese text: spaces, then small letters and
    digits, punctuation, accented small letters, capitals."""
    if c.isspace():
        return 50
    if c.isascii():
        return 10 if c.islower() or c.isdigit() else 1 if c.isupper() else 5
    return 3 if c.islower() else 1


def _plain_chars(item, state, flags: int) -> int | None:
    """How often a one-character item matches in plain Vietnamese, roughly (0: never; None: not a
    one-character item)."""
    if item[0] not in _SINGLE:
        return None
    one = _sre_compile.compile(_sre_parse.SubPattern(state, [item]), flags)
    return sum(_weight(c) for c in PLAIN if one.fullmatch(c))


def _key_item(branch, flags: int):
    """The one-character item of ``branch`` least frequent in plain Vietnamese, and its weight
    (None when the branch has anchors, lookarounds or no bound on its length: run it everywhere)."""
    if branch.getwidth()[1] >= _sre_parse.MAXREPEAT:
        return None
    best = None
    for item in branch.data:
        if item[0] in (_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT, _sre_parse.GROUPREF):
            return None
        n = _plain_chars(item, branch.state, flags)
        if n is not None and item[0] in (_sre_parse.LITERAL, _sre_parse.IN) and (best is None or n < best[1]):
            best = (item, n)
    return best


def _compile(items, state, flags: int) -> re.Pattern:
    return _sre_compile.compile(_sre_parse.SubPattern(state, items), flags)


def _union(branches, state, flags: int) -> re.Pattern | None:
    return _compile([(_sre_parse.BRANCH, (None, branches))], state, flags) if branches else None


@functools.cache
def _split(BADNESS_RE: re.Pattern) -> tuple[re.Pattern | None, re.Pattern | None, re.Pattern | None, int, bool] | None:
    """(branches searched in the whole text, the other branches, their key, their longest match,
    whether the first all start at the beginning of the text) of
    ftfy's pattern: each match of the other branches holds a match of the key, so it lies in a few
    characters around one.  (Compiled from parsed branches, they have no pattern text; the regex
    audit, which reads pattern texts, times ftfy's pattern through the readers instead.)"""
    flags = BADNESS_RE.flags
    try:
        parsed = _sre_parse.parse(BADNESS_RE.pattern, flags)
        (op, (_, branches)), = parsed.data
        if op is not _sre_parse.BRANCH:
            return None
        whole, keyed, keys = [], [], []
        for b in branches:
            key = _key_item(b, flags)
            if key is None:
                whole.append(b)
            else:
                keyed.append(b)
                keys.append(key[0])
        anchored = not flags & re.MULTILINE and _at_start(whole)
        if not keyed:
            return _union(whole, parsed.state, flags), None, None, 0, anchored
        width = max(b.getwidth()[1] for b in keyed)
        return (_union(whole, parsed.state, flags), _union(keyed, parsed.state, flags),
                _compile(_one_key(keys, parsed.state), parsed.state, flags), width, anchored)
    except Exception:  # noqa: BLE001 - a pattern shape this module does not know: use is_bad itself
        return None


def _one_key(keys, state) -> list:
    """One class of every key character (a class scan is ~40x faster than an alternation of the
    classes), or, when a key is a negated class, an alternation of the keys that are not and any
    character plain Vietnamese never holds (which covers every negated key that plain text cannot match)."""
    chars = []
    for op, av in keys:
        if op is _sre_parse.LITERAL:
            chars.append((op, av))
        elif av and av[0][0] is not _sre_parse.NEGATE:
            chars.extend(av)
        else:
            break
    else:
        return [(_sre_parse.IN, chars)]
    alts = [[(op, av)] for (op, av) in keys] + [[(_sre_parse.IN, [(_sre_parse.NEGATE, None)]
                                                 + [(_sre_parse.LITERAL, ord(c)) for c in sorted(PLAIN)])]]
    return [(_sre_parse.BRANCH, (None, [_sre_parse.SubPattern(state, x) for x in alts]))]


def _at_start(branches) -> bool:
    """Whether every branch starts with '^' or '\\A' (without MULTILINE: search is then match)."""
    starts = (_sre_parse.AT_BEGINNING, _sre_parse.AT_BEGINNING_STRING)
    return all(b.data and b.data[0][0] is _sre_parse.AT and b.data[0][1] in starts for b in branches)


def is_bad(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``: whether the text looks like it contains mojibake."""
    from ftfy.badness import BADNESS_RE, is_bad as ftfy_is_bad
    split = _split(BADNESS_RE)
    if split is None:
        return ftfy_is_bad(text)
    whole, keyed, key, width, anchored = split
    if whole is not None and (whole.match(text) if anchored else whole.search(text)):
        return True
    if keyed is None:
        return False
    lo = hi = -1   # the window being grown: keys less than 2 * width apart share one
    for mt in key.finditer(text):
        s, e = max(0, mt.start() - width + 1), mt.start() + width
        if s > hi:
            if hi > lo and keyed.search(text, lo, hi):
                return True
            lo = s
        hi = e
    return hi > lo and keyed.search(text, lo, hi) is not None
