"""The layers of desktop/, read from the code, so a newcomer can trust the picture in the README.

Bottom to top; a module may import its own layer and any layer below it, never one above:

    0 foundation  desktop/errors.py, clock.py, paths.py, limits.py, cleaning.py and the other
                  small leaf modules listed in FOUNDATION
    1 models      desktop/models/
    2 data, plan  desktop/db.py, desktop/plan/, desktop/templates.py
    3 services    desktop/services/ (the domain; never Qt)
    4 files       desktop/importing/ and desktop/exporting/ (peers: neither imports the other)
    5 window      desktop/ui/ (the only place Qt is imported)
    6 entry       desktop/cli/ and desktop/__main__.py (the command line, which also starts
                  the window, importing desktop.ui only inside the function that needs it)

There is no circle of imports between modules of desktop/. Imports are read with `ast`, not run,
and every one counts: at module level, inside a function and under TYPE_CHECKING, since a lazy
import still loads its module when it runs, and a type named from a higher layer is still that
layer's knowledge. Importing `a.b.c` also runs the package `a/b/__init__.py` first, so that file
is part of the importer's dependencies (unless the importer is inside the same package).

Each rule's checker takes plain data, and the self-tests at the end feed it a made-up house with
the fault in it, so a rule that could never fail would be seen.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6")
WINDOW = "desktop.ui"
ENTRY = ("desktop.cli", "desktop.__main__")

FOUNDATION = (
    "desktop",
    "desktop.errors",
    "desktop.clock",
    "desktop.paths",
    "desktop.limits",
    "desktop.cleaning",
    "desktop.font_files",
    "desktop.collection_layout",
    "desktop.collection_rows",
    "desktop.return_layout",
    "desktop.assessment_layout",
    "desktop.numbers",
)
# (layer, name, module prefixes) bottom to top.
LAYERS: list[tuple[int, str, tuple[str, ...]]] = [
    (0, "foundation", FOUNDATION),
    (1, "models", ("desktop.models",)),
    (2, "data and plan", ("desktop.db", "desktop.plan", "desktop.templates")),
    (3, "services", ("desktop.services",)),
    (4, "files", ("desktop.importing", "desktop.exporting")),
    (5, "window", (WINDOW,)),
    (6, "entry", ENTRY),
]
# Same layer, still apart: reading a file never needs the code that writes one, nor the reverse.
PEERS_APART = (
    ("desktop.importing", "desktop.exporting"),
    ("desktop.exporting", "desktop.importing"),
)


@dataclass(frozen=True)
class Import:
    """One imported name: `importer` (a module of desktop/) names `target` at `line`."""

    importer: str
    target: str
    file: str
    line: int
    lazy: bool = False  # inside a function


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def module_files(root: Path) -> dict[str, Path]:
    """Every module under root/desktop by its dotted name (a package by its __init__.py)."""
    found: dict[str, Path] = {}
    for path in sorted((root / "desktop").rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _import_nodes(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement with whether it sits inside a function, in one walk."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []
    todo: list[tuple[ast.AST, bool]] = [(tree, False)]
    while todo:
        node, lazy = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append((node, lazy))
            continue
        inside = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        todo.extend((child, inside) for child in ast.iter_child_nodes(node))
    return found


def read_imports(root: Path) -> list[Import]:
    """What every module of root/desktop imports, `from x import y` naming module x.y if it is one."""
    files = module_files(root)
    found: list[Import] = []
    for name, path in files.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        where = str(path.relative_to(root))
        for node, lazy in _import_nodes(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    stem = package[: len(package) - node.level + 1]
                    base = ".".join(stem + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in files else base)
            found.extend(
                Import(name, target, where, node.lineno, lazy) for target in dict.fromkeys(targets)
            )
    return sorted(found, key=lambda i: (i.file, i.line, i.target))


def layer_of(module: str) -> tuple[int, str] | None:
    for number, name, prefixes in LAYERS:
        if module in prefixes or any(within(module, p) and p != "desktop" for p in prefixes):
            return number, name
    return None


def _file(module: str, files: dict[str, str]) -> str:
    return files.get(module, module)


def graph(imports: Iterable[Import]) -> dict[str, set[str]]:
    """Module → the modules of desktop/ that loading it loads directly, with their packages."""
    edges: dict[str, set[str]] = {}
    for imp in imports:
        if not within(imp.target, "desktop"):
            continue
        needed = edges.setdefault(imp.importer, set())
        parts = imp.target.split(".")
        for depth in range(2, len(parts) + 1):
            module = ".".join(parts[:depth])
            if module != imp.importer and not within(imp.importer, module):
                needed.add(module)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each knot of mutually importing modules, first module repeated last."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    knots: list[set[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(edges.get(module, ())):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            knot: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                knot.add(member)
                if member == module:
                    break
            if len(knot) > 1:
                knots.append(knot)

    for module in sorted(edges):
        if module not in index:
            visit(module)
    found = []
    for knot in knots:
        start = min(knot)
        came_from: dict[str, str] = {}
        frontier = [start]
        while start not in came_from:  # breadth first: the shortest way back to start
            following = []
            for module in frontier:
                for other in sorted(edges.get(module, set()) & knot):
                    if other not in came_from:
                        came_from[other] = module
                        following.append(other)
            frontier = following
        path = [start]
        while path[-1] != start or len(path) == 1:
            path.append(came_from[path[-1]])
        found.append(path[::-1])
    return sorted(found)


def circle_problems(imports: list[Import], files: dict[str, str]) -> list[str]:
    return [
        "import circle: " + " → ".join(_file(m, files) for m in circle)
        for circle in cycles(graph(imports))
    ]


def layer_problems(imports: list[Import]) -> list[str]:
    """Each import of a higher layer, or of a peer that must stay apart, or of no known layer."""
    problems = []
    for imp in imports:
        if not within(imp.target, "desktop"):
            continue
        here, there = layer_of(imp.importer), layer_of(imp.target)
        if here is None or there is None:
            unknown = imp.importer if here is None else imp.target
            problems.append(f"{imp.file}:{imp.line}: {unknown} is in no layer (see LAYERS)")
        elif there[0] > here[0]:
            problems.append(
                f"{imp.file}:{imp.line} imports {imp.target}: "
                f"layer {here[0]} {here[1]} may not import layer {there[0]} {there[1]}"
            )
        elif any(within(imp.importer, a) and within(imp.target, b) for a, b in PEERS_APART):
            problems.append(
                f"{imp.file}:{imp.line} imports {imp.target}: "
                "desktop/importing and desktop/exporting do not import each other"
            )
    return problems


def qt_problems(imports: list[Import]) -> list[str]:
    """Qt outside the window; the command line reaching the window other than lazily."""
    problems = []
    for imp in imports:
        if imp.target.split(".")[0] in QT and not within(imp.importer, WINDOW):
            problems.append(f"{imp.file}:{imp.line} imports {imp.target} outside desktop/ui")
        elif (
            any(within(imp.importer, e) for e in ENTRY)
            and within(imp.target, WINDOW)
            and not imp.lazy
        ):
            problems.append(
                f"{imp.file}:{imp.line} imports {imp.target} at module level: "
                "the command line loads the window only inside the function that starts it"
            )
    return problems


# --- the house ---------------------------------------------------------------


@cache
def _house() -> tuple[list[Import], dict[str, str]]:
    files = {name: str(path.relative_to(ROOT)) for name, path in module_files(ROOT).items()}
    return read_imports(ROOT), files


def test_every_module_has_a_layer():
    assert [m for m in module_files(ROOT) if layer_of(m) is None] == []


def test_no_import_circles():
    imports, files = _house()
    problems = circle_problems(imports, files)
    assert not problems, "\n".join(problems)


def test_no_layer_imports_a_higher_one():
    imports, _ = _house()
    problems = layer_problems(imports)
    assert not problems, "\n".join(problems)


def test_qt_only_in_the_window():
    imports, _ = _house()
    problems = qt_problems(imports)
    assert not problems, "\n".join(problems)


# --- the checkers can fail -----------------------------------------------------


def _imp(importer: str, target: str, lazy: bool = False) -> Import:
    return Import(importer, target, importer.replace(".", "/") + ".py", 1, lazy)


def test_a_circle_is_reported_with_its_files_in_order():
    imports = [
        _imp("desktop.services.a", "desktop.services.b"),
        _imp("desktop.services.b", "desktop.services.c"),
        _imp("desktop.services.c", "desktop.services.a"),
        _imp("desktop.services.c", "desktop.errors"),
    ]
    files = {"desktop.services.a": "a.py", "desktop.services.b": "b.py"}
    assert circle_problems(imports, files) == [
        "import circle: a.py → b.py → desktop.services.c → a.py"
    ]


def test_a_circle_through_a_package_init_is_reported():
    # services/__init__ builds the importer lazily; the importer needs a writer that needs a service
    imports = [
        _imp("desktop.services", "desktop.services.imports", lazy=True),
        _imp("desktop.services.imports", "desktop.exporting.template"),
        _imp("desktop.exporting.template", "desktop.services.periods"),
    ]
    assert cycles(graph(imports)) == [
        ["desktop.exporting.template", "desktop.services", "desktop.services.imports"]
        + ["desktop.exporting.template"]
    ]


def test_a_module_importing_inside_its_own_package_is_no_circle():
    imports = [
        _imp("desktop.models", "desktop.models.admin"),
        _imp("desktop.models.admin", "desktop.models.base"),
    ]
    assert cycles(graph(imports)) == []


def test_an_upward_import_is_reported():
    imports = [
        _imp("desktop.services.imports", "desktop.importing.reader", lazy=True),
        _imp("desktop.importing.reader", "desktop.exporting.template"),
        _imp("desktop.ui.page", "desktop.services.imports"),
        _imp("desktop.cli.core", "desktop.ui.app", lazy=True),
    ]
    assert layer_problems(imports) == [
        "desktop/services/imports.py:1 imports desktop.importing.reader: "
        "layer 3 services may not import layer 4 files",
        "desktop/importing/reader.py:1 imports desktop.exporting.template: "
        "desktop/importing and desktop/exporting do not import each other",
    ]


def test_a_module_outside_the_layers_is_reported():
    assert layer_problems([_imp("desktop.gadgets", "desktop.errors")]) == [
        "desktop/gadgets.py:1: desktop.gadgets is in no layer (see LAYERS)"
    ]


def test_qt_outside_the_window_is_reported():
    imports = [
        _imp("desktop.ui.page", "PySide6.QtWidgets"),
        _imp("desktop.services.demo", "PySide6.QtGui"),
        _imp("desktop.cli.window", "shiboken6"),
        _imp("desktop.cli.core", "desktop.ui.app", lazy=True),
        _imp("desktop.cli.smoke", "desktop.ui.smoke"),
    ]
    assert qt_problems(imports) == [
        "desktop/services/demo.py:1 imports PySide6.QtGui outside desktop/ui",
        "desktop/cli/window.py:1 imports shiboken6 outside desktop/ui",
        "desktop/cli/smoke.py:1 imports desktop.ui.smoke at module level: "
        "the command line loads the window only inside the function that starts it",
    ]


def test_every_kind_of_import_is_read(tmp_path: Path):
    files = {
        "desktop/__init__.py": "",
        "desktop/errors.py": "",
        "desktop/services/__init__.py": "from . import tally\n",
        "desktop/services/tally.py": "from ..errors import ServiceError\n",
        "desktop/services/imports.py": (
            "from typing import TYPE_CHECKING\n"
            "from desktop.services import tally, Services\n"
            "if TYPE_CHECKING:\n"
            "    from desktop.ui.page import Page\n"
            "def start():\n"
            "    import PySide6.QtCore\n"
            "    from .tally import count\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    found = {(i.importer, i.target, i.line, i.lazy) for i in read_imports(tmp_path)}
    assert found == {
        ("desktop.services", "desktop.services.tally", 1, False),
        ("desktop.services.tally", "desktop.errors", 1, False),
        ("desktop.services.imports", "typing", 1, False),
        ("desktop.services.imports", "desktop.services.tally", 2, False),
        ("desktop.services.imports", "desktop.services", 2, False),
        ("desktop.services.imports", "desktop.ui.page", 4, False),
        ("desktop.services.imports", "PySide6.QtCore", 6, True),
        ("desktop.services.imports", "desktop.services.tally", 7, True),
    }
