"""The import graph of ``ingest`` and ``service``: no circles, and ``ingest`` stands on its own.

The graph is read from the source with ``ast``, so it sees what running the code would import:

- every ``import`` and ``from ... import``, at module level *and* inside functions and methods
  (an import moved into a function to dodge a circle still closes that circle the first time the
  function runs, so it counts);
- imports under ``if TYPE_CHECKING:`` are left out: that block never runs, it only informs type
  checkers, so it cannot take part in a circle at run time;
- relative imports are resolved against the importing module's package;
- ``from package import name`` is an edge to ``package.name`` when that is a module, else to
  ``package`` (its ``__init__``);
- importing a package is an edge to its ``__init__`` (named like the package, ``service.http``),
  and importing ``a.b.c`` also runs ``a/b/__init__.py``: so it is an edge to every such package on
  the way too, except the packages the importing module itself lives in. Those have already begun
  running before any of their own modules can import anything, so Python never runs them again.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "service")


@dataclass(frozen=True)
class ImportEdge:
    """One module importing another project module, where, and whether from inside a function."""

    importer: str
    imported: str
    path: str
    line: int
    in_function: bool

    @property
    def place(self) -> str:
        """``path:line`` of the import statement."""
        return f"{self.path}:{self.line}"

    def describe(self) -> str:
        """``a → b (in a function, a.py:12)``."""
        where = "in a function" if self.in_function else "at module level"
        return f"{self.importer} → {self.imported} ({where}, {self.place})"


def project_modules() -> dict[str, Path]:
    """Every module of the project packages by dotted name; a package's ``__init__`` takes the package's name."""
    modules: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((PROJECT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, in_function: bool = False) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement that can run, with whether it sits inside a function."""
    for child in ast.iter_child_nodes(tree):
        if _is_type_checking_block(child):
            assert isinstance(child, ast.If)
            for other in child.orelse:  # the ``else`` of ``if TYPE_CHECKING`` does run
                yield from _imports(ast.Module(body=[other], type_ignores=[]), in_function)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, in_function
        inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _imports(child, inside)


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _targets(node: ast.Import | ast.ImportFrom, module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules one import statement names (before adding the packages on the way)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if node.level:
        base = _package_of(module, path).split(".")
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    found = set()
    for alias in node.names:
        submodule = f"{source}.{alias.name}"
        found.add(submodule if submodule in modules else source)
    return found


def _with_packages_on_the_way(target: str, importer: str) -> set[str]:
    """``a.b.c`` runs ``a``, ``a.b`` and ``a.b.c``; the importer's own packages are already running."""
    parts = target.split(".")
    own = {".".join(importer.split(".")[:i]) for i in range(1, importer.count(".") + 2)}
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)} - own


def import_edges() -> list[ImportEdge]:
    """Every import of one project module by another, as running the code would make it."""
    modules = project_modules()
    edges: list[ImportEdge] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, in_function in _imports(tree):
            for target in _targets(node, module, path, modules):
                for imported in sorted(_with_packages_on_the_way(target, module)):
                    if imported in modules and imported != module:
                        where = path.relative_to(PROJECT).as_posix()
                        edges.append(ImportEdge(module, imported, where, node.lineno, in_function))
    return edges


def _strongly_connected(graph: dict[str, list[ImportEdge]]) -> list[list[str]]:
    """Tarjan's components (iterative: the graph may be deep), each a set of modules importing each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = [edge.imported for edge in graph.get(node, [])]
            if position < len(successors):
                work.append((node, position + 1))
                nxt = successors[position]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return [c for c in components if len(c) > 1]


def _one_circle(start: str, members: set[str], graph: dict[str, list[ImportEdge]]) -> list[ImportEdge]:
    """A shortest way from ``start`` back to itself inside one component."""
    paths: dict[str, list[ImportEdge]] = {start: []}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for edge in graph.get(node, []):
                if edge.imported == start:
                    return [*paths[node], edge]
                if edge.imported in members and edge.imported not in paths:
                    paths[edge.imported] = [*paths[node], edge]
                    following.append(edge.imported)
        frontier = following
    raise AssertionError(f"{start} is in a component but on no circle")


def spell(circle: list[ImportEdge]) -> str:
    """``a → b → a``, then each step with its file and line."""
    names = " → ".join([circle[0].importer, *(edge.imported for edge in circle)])
    steps = "\n".join(f"    {edge.describe()}" for edge in circle)
    return f"  {names}\n{steps}"


def import_circles() -> list[list[ImportEdge]]:
    """One spelled-out circle for each group of modules that import each other."""
    graph: dict[str, list[ImportEdge]] = {}
    for edge in import_edges():
        graph.setdefault(edge.importer, []).append(edge)
    return [_one_circle(members[0], set(members), graph) for members in _strongly_connected(graph)]


def test_the_graph_sees_the_imports_it_is_meant_to_see() -> None:
    edges = {(e.importer, e.imported, e.in_function) for e in import_edges()}
    # a module, and a package (its __init__), at module level
    assert ("service.http.app", "service.http.errors", False) in edges
    assert ("ingest.pipeline", "ingest.store", False) in edges
    # inside a function, with the package on the way
    assert ("service.runtime", "service.answer.choose", True) in edges
    assert ("service.runtime", "service.answer", True) in edges
    # never a package the importer lives in, nor the top-level packages' own modules importing themselves
    assert not any(importer.startswith(imported + ".") for importer, imported, _ in edges)


def test_no_module_imports_itself_back_through_a_circle_counting_imports_inside_functions() -> None:
    edges = import_edges()
    in_functions = sorted({edge.place for edge in edges if edge.in_function})
    circles = import_circles()
    report = "\n".join(spell(circle) for circle in circles)
    deferred = "\n".join(f"    {line}" for line in in_functions)
    assert not circles, (
        f"{len(circles)} import circle(s) among ingest/ and service/:\n{report}\n"
        f"({len(in_functions)} import statements inside functions, all counted:\n{deferred})"
    )
    print(
        f"{len(edges)} project imports; {len(in_functions)} import statements inside functions (counted):\n{deferred}"
    )


def test_ingest_never_imports_service() -> None:
    wrong = [
        edge.describe()
        for edge in import_edges()
        if edge.importer.split(".")[0] == "ingest" and edge.imported.split(".")[0] == "service"
    ]
    assert not wrong, "ingest must stand on its own:\n" + "\n".join(wrong)


def _says_why(path: Path, line: int) -> bool:
    """A comment on the import's line, or above it (past blank lines and the imports grouped with it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if "#" in lines[line - 1]:
        return True
    for above in reversed(lines[: line - 1]):
        text = above.strip()
        if not text or text.startswith(("import ", "from ")):
            continue
        return text.startswith("#")
    return False


def test_every_project_import_inside_a_function_says_why_it_waits() -> None:
    silent = sorted(
        {edge.place for edge in import_edges() if edge.in_function and not _says_why(PROJECT / edge.path, edge.line)}
    )
    assert not silent, (
        "an import inside a function hides from a reader what the module needs; where it defers a slow "
        "import on purpose, a comment says so:\n" + "\n".join(f"    {place}" for place in silent)
    )
