"""How the code may import itself (docs/architecture.md, « Layers »).

Imports run one way: lib → domain apps → the pipeline that orchestrates them → views and commands.
An app's *domain* modules (models, actions, services, queries…) import only their own app and apps of the
same or a lower layer, and the apps never import each other in a circle. Its *pages* (views, forms, URLs,
the API's operations, admin, template tags, commands) are the top: they may import any domain module, and
no domain module imports them.
"""

import ast
from collections import defaultdict
from pathlib import Path

VIGIE = Path(__file__).resolve().parents[1]
APPS = {path.name for path in VIGIE.iterdir() if path.is_dir() and (path / "__init__.py").exists()} - {"tests"}

# Bottom to top. Within a layer an app may import another, never in a circle.
LAYERS = (
    ("lib", "vocabulary"),  # import no app
    ("audit", "accounts", "notifications", "sla", "replies", "procedure"),  # what every part records or reads
    ("ingestion", "connectors"),  # channels, raw events, the platforms
    ("triage", "moderation", "inbox"),  # a message classified, the outbox, the desk's items and actions
    ("policy", "helpdesk", "planning", "rounds", "records", "crisis"),  # the procedure's parts
    ("pipeline", "indicators"),  # what orchestrates or reads all of the above
    ("api", "ops", "demo"),  # interfaces, commands, benchmarks and the demo
)
LAYER_OF = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
PAGE_FILES = {"views.py", "urls.py", "forms.py", "admin.py", "apps.py", "api.py"}
PAGE_FOLDERS = {"templatetags", "management"}


def is_page(parts: tuple[str, ...]) -> bool:
    name = parts[-1]
    return name in PAGE_FILES or name.endswith("_views.py") or bool(PAGE_FOLDERS & set(parts))


def domain_imports() -> dict[str, dict[str, list[str]]]:
    """app → imported app → where (file:line), for the domain modules of the apps (pages, tests and
    migrations aside)."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in VIGIE.rglob("*.py"):
        parts = path.relative_to(VIGIE).parts
        if len(parts) == 1 or {"tests", "migrations"} & set(parts) or is_page(parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for module in _vigie_modules(node):
                target = module.split(".")[1]
                if target != parts[0] and (target in APPS or target == "vocabulary"):
                    graph[parts[0]][target].append(f"{'/'.join(parts)}:{node.lineno}")
    return graph


def page_imports() -> list[str]:
    """Domain modules that import a page module (file:line → module)."""
    found = []
    for path in VIGIE.rglob("*.py"):
        parts = path.relative_to(VIGIE).parts
        if len(parts) == 1 or {"tests", "migrations"} & set(parts) or is_page(parts) or parts[0] in LAYERS[-1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for module in _vigie_modules(node) + _submodules(node):
                if is_page(tuple(module.split(".")[1:-1]) + (module.split(".")[-1] + ".py",)):
                    found.append(f"{'/'.join(parts)}:{node.lineno} → {module}")
    return found


def _submodules(node) -> list[str]:
    """`from vigie.app import views` names the module vigie.app.views too."""
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vigie."):
        return [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def _vigie_modules(node) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vigie."):
        return [node.module]
    if isinstance(node, ast.ImportFrom) and node.module == "vigie":
        return [f"vigie.{alias.name}" for alias in node.names]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("vigie.")]
    return []


def test_every_app_has_a_layer():
    assert not (APPS | {"vocabulary"}) - set(LAYER_OF), "add the new app to LAYERS"


def test_the_bottom_layer_imports_no_app():
    graph = domain_imports()
    for bottom in LAYERS[0]:
        assert not graph.get(bottom), f"{bottom} imports {dict(graph[bottom])}"


def test_no_domain_module_imports_a_layer_above_its_own():
    graph = domain_imports()
    upward = sorted((a, b) for a in graph for b in graph[a] if LAYER_OF[b] > LAYER_OF[a])
    assert not upward, "imports upward: " + "; ".join(f"{a} → {b} ({graph[a][b][0]})" for a, b in upward)


def test_no_apps_import_each_other_even_through_others():
    graph = domain_imports()
    circle = _a_circle({app: set(targets) for app, targets in graph.items()})
    assert not circle, "apps that import each other: " + " → ".join(
        f"{a} ({graph[a][b][0]})" for a, b in zip(circle, circle[1:], strict=False)
    )


def _a_circle(graph: dict[str, set[str]]) -> list[str]:
    """A circle of imports (its apps, the first one repeated at the end), or [] when there is none."""
    done: set[str] = set()

    def visit(app: str, path: list[str]) -> list[str]:
        if app in path:
            return path[path.index(app) :] + [app]
        if app in done:
            return []
        for target in sorted(graph.get(app, ())):
            if found := visit(target, [*path, app]):
                return found
        done.add(app)
        return []

    for app in sorted(graph):
        if found := visit(app, []):
            return found
    return []


def test_a_circle_of_three_apps_is_found():
    assert _a_circle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _a_circle({"a": {"b"}, "b": {"c"}, "d": {"a", "c"}}) == []


def test_no_domain_module_imports_a_page():
    assert not page_imports()


def test_a_page_imported_by_name_from_its_package_is_seen():
    node = ast.parse("from vigie.ingestion import views").body[0]
    assert _vigie_modules(node) == ["vigie.ingestion"]  # the package alone is no page
    assert _submodules(node) == ["vigie.ingestion.views"]
    assert is_page(("ingestion", "views.py"))
