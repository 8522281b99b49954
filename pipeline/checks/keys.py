"""The keys that say which mentions name one document: the số hiệu key and its scope."""
from __future__ import annotations

from extractors import vocab


def ref_key(ref: str | None) -> str | None:
    """The số hiệu key of ``extractors.citations.ref_key`` (its one definition), loaded when flags are
    computed, not at start-up."""
    from extractors.citations import ref_key as key
    return key(ref)


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

