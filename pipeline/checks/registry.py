"""The registry of rules: every flag kind and the rule that yields its rows, in the order they run."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

import duckdb

if TYPE_CHECKING:
    from .common import Scope, _Texts

Rule = Callable[[duckdb.DuckDBPyConnection, "_Texts", "Scope"], Iterable[dict]]
# every flag kind and the rule that yields its rows, in the order they run (the decorator adds them)
RULES: dict[str, Rule] = {}


def rule(fn: Rule) -> Rule:
    """Register a rule under its function's name, which is the kind of flag it raises."""
    RULES[fn.__name__] = fn
    return fn
