"""The keys that say which mentions name one document: the số hiệu key and its scope."""
from __future__ import annotations

import regex

from extractors import vocab

_SEPARATORS = regex.compile(r"[\-.]")


def ref_key(ref: str | None) -> str | None:
    """The form two writings of one số hiệu share: '27/CTTg' and '27/CT-TTg', '05/KH' and '5/KH'.
    The dot of a dotted number stays: 66.7/2025/NQ-CP is not 667/2025/NQ-CP."""
    from extractors.citations import norm_ref   # loaded when flags are computed, not at start-up
    if not ref:
        return None
    number, slash, rest = norm_ref(ref).partition("/")
    return number.replace("-", "") + slash + _SEPARATORS.sub("", rest)


def split_key(key: str) -> tuple[str, str | None, str]:
    """(number, year, symbol) of a ref_key: '8/2025/NĐCP' → ('8', '2025', 'NĐCP'); '27/CTTG' → ('27', None, 'CTTG')."""
    parts = key.split("/")
    if len(parts) >= 3 and len(parts[1]) == 4 and parts[1].isdigit():
        return parts[0], parts[1], "/".join(parts[2:])
    return parts[0], None, "/".join(parts[1:])



def scope_key(ref: str | None, issuer: str | None, province: str | None) -> tuple[str | None, str | None]:
    """Which mentions name the same document: a national số hiệu names one document nationwide;
    '03/CT-UBND' of one province is not '03/CT-UBND' of another."""
    national = issuer and all(part in vocab.national_issuers() for part in issuer.split(", "))
    return ref_key(ref), None if national else province

