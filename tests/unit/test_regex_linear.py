"""No compiled pattern of the project is super-linear on the adversarial inputs of issue 17 (long
slugs of letters, digits, hyphens and slashes; runs of 'số 1/', '1.1.1.', 'Điều ', 'ngày ').

The patterns are discovered by walking every module (bench/regex_audit.py), so a new one is covered."""
from __future__ import annotations

import sys
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import regex_audit  # noqa: E402


def test_the_walk_finds_the_patterns():
    found = regex_audit.all_patterns()
    assert len(found) > 100
    assert "pipeline.normalize._GLUED" in found                      # a module global
    assert any("vocab" in w and "()" in w for w in found)             # a cached vocabulary loader's


def test_the_audit_catches_a_catastrophic_pattern():
    # the glued-footnote pattern before issue 17: a variable-length lookbehind, seconds on a 175-character slug
    bad = regex.compile(r"(?<=\d[ \t]?/[\p{L}\d/&.\-]*?)(?<=[/\-](?:CP|TTg|QH|ND))(\d{1,2})(?=[\s,;.:)]|$)",
                        regex.V1 | regex.IGNORECASE)
    row = {"timeout": False}
    try:
        row.update(small=regex_audit.time_pattern(bad, regex_audit.adversarial(100), timeout=1.0),
                   large=regex_audit.time_pattern(bad, regex_audit.adversarial(800), timeout=1.0))
    except TimeoutError:
        row["timeout"] = True
    assert regex_audit.super_linear(row)


def test_no_pattern_grows_faster_than_its_input():
    rows = regex_audit.audit(k_small=1000, factor=8, timeout=2.0)
    bad = [r["where"] + (": timeout" if r["timeout"] else f": {r['small']:.3f} s → {r['large']:.3f} s")
           for r in rows if regex_audit.super_linear(r)]
    assert not bad, "super-linear patterns:\n" + "\n".join(bad)
