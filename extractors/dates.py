"""Dates written in the text: ``ngày 23/7/2012``, ``ngày 23 tháng 7 năm 2012``, ``23-7-2012``."""
from __future__ import annotations

import datetime as dt

import regex

from . import patterns as P
from .starts import date_starts, finditer_at
from .models import DateMention


def to_date(day: int, month: int, year: int | None) -> dt.date | None:
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def from_match(m: regex.Match) -> DateMention:
    """The date of a match of a pattern holding ``patterns.DATE`` (its worded or its numeric groups)."""
    d2, m2, y2, d, mo, y = m.group("d2", "m2", "y2", "d", "m", "y")
    day, month, year = (int(d2), int(m2), int(y2)) if d2 else (int(d), int(mo), int(y))
    return DateMention(m.start(), m.end(), m.group(), day, month, year, to_date(day, month, year))


def is_us_date(m: regex.Match) -> bool:
    """'5/27/1968' in an English reference: month first (a day ≤ 12 before a 'month' > 12), no 'ngày'."""
    g = m.groupdict()
    return bool(g.get("d")) and not g.get("d2") and int(g["d"]) <= 12 < int(g["m"]) \
        and not m.group().lower().startswith("ngày")


def find_dates(text: str) -> list[DateMention]:
    """Every full date (day, month, year) in the text, valid or not; US month/day/year dates are not dates."""
    out = []
    for m in finditer_at(P.ANY_DATE, text, date_starts(text)):
        d2, m2, y2, d, mo, y = m.group("d2", "m2", "y2", "d", "m", "y")
        if d2:
            day, month, year = int(d2), int(m2), int(y2)
        else:
            day, month, year = int(d), int(mo), int(y)
            if day <= 12 < month and not m.group().lower().startswith("ngày"):
                continue   # is_us_date, from the groups already read
        out.append(DateMention(m.start(), m.end(), m.group(), day, month, year, to_date(day, month, year)))
    return out
