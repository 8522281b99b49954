"""Result types of the extractors.

Every result is a frozen dataclass that knows where it stands in the normalized text:
``start``/``end`` are offsets (0-based, end exclusive) and ``surface`` is ``text[start:end]``.
Nothing found is an empty list, never ``None``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class DateMention:
    """A calendar date written in the text (``ngày 23/7/2012``, ``ngày 23 tháng 7 năm 2012``).

    ``value`` is None when the written day/month/year do not form a real date
    (``ngày 15 tháng 54 năm 2026``); ``day``/``month``/``year`` keep what was written.
    """

    start: int
    end: int
    surface: str
    day: int
    month: int
    year: int | None
    value: dt.date | None


@dataclass(frozen=True, slots=True)
class Pinpoint:
    """One pinpoint inside a document: điểm / khoản / Điều / mục / Phụ lục."""

    article: str | None = None
    clause: str | None = None
    point: str | None = None
    section: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        if self.article:
            parts.append(f"Điều {self.article}")
        if self.section:
            parts.append(f"mục {self.section}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Citation:
    """One mention of another document, by số hiệu or (for laws) by name."""

    start: int
    end: int
    surface: str
    doc_type: str
    ref: str | None = None          # number/year/symbol as written, spaces removed
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    issuer: str | None = None
    name: str | None = None         # for Hiến pháp, Bộ luật, Luật, Pháp lệnh cited by name
    cited_date: dt.date | None = None
    pinpoints: tuple[Pinpoint, ...] = field(default_factory=tuple)
    nested: bool = False            # a law named inside the name of an amending law
    written_type: str | None = None  # the type named by the word written right before the number
    code_type: str | None = None     # the type named by the code in the symbol (NĐ → Nghị định)
    role: str | None = None          # what the mention does in its sentence (citations.relation; set by extract)

    @property
    def article(self) -> str | None:
        return self.pinpoints[0].article if self.pinpoints else None

    @property
    def clause(self) -> str | None:
        return self.pinpoints[0].clause if self.pinpoints else None

    @property
    def point(self) -> str | None:
        return self.pinpoints[0].point if self.pinpoints else None

    @property
    def section(self) -> str | None:
        return next((p.section for p in self.pinpoints if p.section), None)


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a document says about itself (header, date line, signature block)."""

    doc_type: str | None = None
    ref: str | None = None
    issue_date: dt.date | None = None
    issue_date_not_before: dt.date | None = None
    issuer: str | None = None
    province: str | None = None
    province_source: str | None = None   # header | date_line | body | email
    issue_date_source: str | None = None  # date_line (the place-date line of the header); else no issue_date
    official: bool = False                # an administrative document (a header), not a portal article
    signer: str | None = None
    signer_title: str | None = None
    subject: str | None = None
    recipients: tuple[str, ...] = ()
    spans: dict[str, Span] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Count:
    """A number with the thing counted: ``1.120 cuộc``, ``72 đợt khảo sát``."""

    start: int
    end: int
    surface: str
    value: int
    unit: str               # the counted phrase as written ('đợt khảo sát tại')
    head: str               # its head ('đợt khảo sát', 'cuộc', 'lượt người')
    parent: int | None = None   # the total this count is a part of ('10 văn bản, gồm: 03 chỉ thị, …')


@dataclass(frozen=True, slots=True)
class Staffing:
    """A head count of people doing the work; ``parent`` is the index of the total it is part of."""

    start: int
    end: int
    surface: str
    count: int
    unit: str | None = None
    level: str | None = None        # tỉnh | huyện | xã
    category: str | None = None     # chuyên trách | kiêm nhiệm | biên chế | hợp đồng lao động | công chức
    full_time: int | None = None    # chuyên trách, when the split is written
    part_time: int | None = None    # kiêm nhiệm
    parent: int | None = None
    kind: str = "count"             # count | cap (không quá, tối đa) | min (tối thiểu, ít nhất) | average (bình quân)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in đồng (``min_vnd == max_vnd`` unless a range), with its span."""

    start: int
    end: int
    surface: str
    min_vnd: int
    max_vnd: int
    per: str | None = None
    approx: str | None = None
    pair: bool = False      # one of two amounts written 'A/B' (done/planned)


@dataclass(frozen=True, slots=True)
class Budget(Money):
    """An amount of money in đồng, from running text or from a table cell, with what it is for."""

    purpose: str | None = None
    unit: str | None = None          # who the money is for ('Sở Tư pháp')
    level: str | None = None
    in_table: bool = False
    table_row: str | None = None
    table_column: str | None = None
    table_caption: str | None = None
    kind: str = "unknown"            # budget | revenue | indicator | rate | price | unknown (vocab budget_kinds)
    role: str = "leaf"               # total (a stated total or subtotal) | leaf | baseline (the year-before figure of a change)
    #                                  | realised (a plan stated before it, measured again: 'đạt 102,70% dự toán')
    parent: int | None = None        # index (in the document's budget rows) of the total this amount is part of


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date by which something is due; recurring deadlines have ``recurring`` ('--12-25') and no date."""

    start: int
    end: int
    surface: str
    due_date: dt.date | None
    recurring: str | None = None
    precision: str = "day"           # day | month | quarter
    what: str | None = None
    who: str | None = None
