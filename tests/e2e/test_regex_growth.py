"""The audit of issue 17: no compiled pattern of the project grows faster than its input on the
adversarial inputs (bench/regex_audit.py times every pattern the walk finds, ~8 s of CPU, so it
runs with the end-to-end tests; tests/unit/test_regex_linear.py checks the walk and the detector)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import regex_audit  # noqa: E402


def test_no_pattern_grows_faster_than_its_input():
    rows = regex_audit.audit(k_small=1000, factor=8, timeout=2.0)
    bad = [r["where"] + (": timeout" if r["timeout"] else f": {r['small']:.3f} s → {r['large']:.3f} s")
           for r in rows if regex_audit.super_linear(r)]
    assert not bad, "super-linear patterns:\n" + "\n".join(bad)
