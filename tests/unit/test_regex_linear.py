"""No compiled pattern of the project is super-linear on the adversarial inputs of issue 17 (long
slugs of letters, digits, hyphens and slashes; runs of 'số 1/', '1.1.1.', 'Điều ', 'ngày ').

The patterns are discovered by walking every module (bench/regex_audit.py), so a new one is covered.
The audit itself (every pattern timed on growing inputs, ~8 s of CPU) is tests/e2e/test_regex_growth.py."""
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
        # a timeout of a quarter second is enough: the pattern needs seconds on the large input
        row.update(small=regex_audit.time_pattern(bad, regex_audit.adversarial(100), timeout=0.25),
                   large=regex_audit.time_pattern(bad, regex_audit.adversarial(800), timeout=0.25))
    except TimeoutError:
        row["timeout"] = True
    assert regex_audit.super_linear(row)
