"""The layout keeps its promises: dependencies point one way, and no module imports itself
round a circle.

The product is `concerns` (the domain) and `notifications` (which listens to it); `demo` is
tooling beside them. Every import statement counts, whether at the top of a module, inside a
function or under TYPE_CHECKING: a lazy import that runs the wrong way is still a dependency.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from concerns.views.actions import STEPS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("concerns", "notifications", "demo", "config")

# Who may import whom: the domain knows nothing of its listeners or of the demo.
FORBIDDEN = {
    "concerns": ("notifications", "demo"),
    "notifications": ("demo",),
    "config": ("demo",),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


MODULES = source_files()


def imported(module: str, path: Path) -> Iterator[str]:
    """Every module this one imports, resolved to the project's modules where it can be."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield candidate if candidate in MODULES else base


def graph() -> dict[str, set[str]]:
    return {
        module: {name for name in imported(module, path) if name in MODULES and name != module}
        for module, path in MODULES.items()
    }


def test_the_import_walker_sees_the_imports_it_must_judge() -> None:
    edges = graph()
    assert "concerns.events" in edges["notifications.apps"]
    assert "concerns.models" in edges["concerns.services.base"]
    assert "concerns.services.base" in edges["concerns.services.stages"]  # relative import
    assert "concerns.models.people" in edges["concerns.models.concern"]


@pytest.mark.parametrize(("package", "forbidden"), FORBIDDEN.items())
def test_dependencies_point_one_way(package: str, forbidden: tuple[str, ...]) -> None:
    wrong = sorted(
        f"{module} imports {name}"
        for module, names in graph().items()
        if module.split(".")[0] == package
        for name in names
        if name.split(".")[0] in forbidden
    )
    assert wrong == []


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules round it, or [] if there is none."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = "open"
        stack.append(module)
        for name in sorted(edges.get(module, ())):
            if state.get(name) == "open":
                return [*stack[stack.index(name) :], name]
            if name not in state and (cycle := visit(name)):
                return cycle
        stack.pop()
        state[module] = "done"
        return []

    for module in sorted(edges):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_circle() -> None:
    edges = graph()
    # A package's __init__ gathering its own submodules is not a cycle of design.
    for module in edges:
        edges[module] = {n for n in edges[module] if not module.startswith(f"{n}.")}
    assert find_cycle(edges) == []


@pytest.mark.parametrize("step_name", STEPS)
def test_every_action_form_has_its_url_written_out(step_name: str) -> None:
    assert reverse(f"concern-{step_name}", args=[1]) == f"/concerns/1/{step_name}/"
