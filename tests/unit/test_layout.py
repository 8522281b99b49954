"""The layout's two promises: no import circle inside pipeline/ and extractors/, and no import from
extractors/ into pipeline/ (imports inside functions count too)."""

import ast
import functools
import pathlib
root = pathlib.Path(__file__).resolve().parents[2]
mods = {}
for p in list(root.glob("pipeline/**/*.py")) + list(root.glob("extractors/**/*.py")):
    parts = list(p.relative_to(root).with_suffix("").parts)
    is_pkg = parts[-1] == "__init__"
    if is_pkg: parts = parts[:-1]
    mods[".".join(parts)] = (p, is_pkg)
def resolve(name, level, cur, is_pkg):
    if level == 0: return name
    base = cur.split(".")
    if not is_pkg: base = base[:-1]
    base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


@functools.cache   # both tests read the same graph: every module is parsed once
def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, (p, is_pkg) in mods.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = resolve(node.module or "", node.level, m, is_pkg)
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                while t and t not in mods:
                    t = t.rpartition(".")[0]
                if t and t != m:
                    graph[m].add(t)
    return graph


def test_extractors_never_import_pipeline():
    graph = _graph()
    assert [(a, b) for a in graph for b in graph[a] if a.startswith("extractors") and b.startswith("pipeline")] == []


def test_no_import_circle():
    graph = _graph()
    cycles, done = [], set()

    def visit(node, path):
        for nxt in graph[node]:
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, path + [nxt])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert cycles == []
