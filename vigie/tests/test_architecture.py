"""How the apps may import each other (docs/architecture.md, « Layers »).

`lib` and `vocabulary` are the bottom: they import no app. Between apps, imports should run one way; the
pairs that still import each other are listed here and may only shrink: a new pair fails this test,
and a pair that no longer exists must be taken off the list.
"""

import ast
from collections import defaultdict
from pathlib import Path

VIGIE = Path(__file__).resolve().parents[1]
APPS = {path.name for path in VIGIE.iterdir() if path.is_dir() and (path / "__init__.py").exists()} - {"tests"}
BOTTOM = {"lib"}

# Known two-way pairs (issue #14), to be untangled; never to grow.
KNOWN_TWO_WAY = {
    ("accounts", "audit"),
    ("api", "planning"),  # the API's URLs list the planning's operation, which uses the API's paging and params
    ("audit", "inbox"),
    ("audit", "moderation"),
    ("audit", "replies"),
    ("connectors", "ingestion"),  # only through ingestion's « Canaux » page (channel_views.py, urls.py)
    ("crisis", "records"),  # the crisis register's filter form (records) names the crisis signals
    ("inbox", "moderation"),
    ("inbox", "planning"),
    ("inbox", "policy"),
    ("inbox", "replies"),
}


def imported_apps() -> dict[str, dict[str, list[str]]]:
    """app → imported app → where (file:line), for the code that runs (tests and migrations aside)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in VIGIE.rglob("*.py"):
        relative = path.relative_to(VIGIE)
        if {"tests", "migrations"} & set(relative.parts):
            continue
        source = relative.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for module in _vigie_modules(node):
                target = module.split(".")[1]
                if target != source and (target in APPS or target == "vocabulary"):
                    graph[source][target].append(f"{relative}:{node.lineno}")
    return graph


def _vigie_modules(node) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vigie."):
        return [node.module]
    if isinstance(node, ast.ImportFrom) and node.module == "vigie":
        return [f"vigie.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("vigie.")]
    return []


def test_the_bottom_layers_import_no_app():
    graph = imported_apps()
    for bottom in [*BOTTOM, "vocabulary"]:
        assert not graph.get(bottom), f"{bottom} imports {dict(graph[bottom])}"


def test_no_new_pair_of_apps_imports_each_other():
    graph = imported_apps()
    two_way = {tuple(sorted((a, b))) for a in graph for b in graph[a] if a in graph.get(b, {})}
    new = two_way - KNOWN_TWO_WAY
    assert not new, "apps that now import each other: " + "; ".join(
        f"{a}↔{b} ({graph[a][b][0]} / {graph[b][a][0]})" for a, b in sorted(new)
    )
    assert not KNOWN_TWO_WAY - two_way, f"untangled, take them off KNOWN_TWO_WAY: {sorted(KNOWN_TWO_WAY - two_way)}"
