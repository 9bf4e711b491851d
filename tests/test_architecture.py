"""The package is a pipeline: each module imports only from layers below it (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

LAYERS: dict[str, int] = {
    "errors": 0,
    "slug": 1,
    "config": 2, "model": 2, "fastmd": 2,
    "frontmatter": 3, "markup": 3, "fragments": 3, "topicmatch": 3, "cache": 3, "write": 3,
    "sources": 4, "extract": 4,
    "taxonomy": 5,
    "plan": 6, "render": 7, "workers": 8,
    "build": 9, "ingest": 9, "feedingest": 9, "check": 9, "scaffold": 9, "retag": 9,
    "pipeline": 10,
    "serve": 11, "watch": 4,
    "cli": 12, "__main__": 13, "__init__": -1,
}


def _unit(module: str) -> str:
    """generator.sources.fetch → sources (a subpackage is one unit)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            if node.module == "generator":
                found.update(f"generator.{a.name}" for a in node.names if not a.name.startswith("__"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("generator"))
    return found


def test_imports_flow_one_way() -> None:
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        unit = _unit(rel)
        assert unit in LAYERS, f"{rel}: add it to LAYERS"
        for imported in _imports(path):
            other = _unit(imported)
            if other == unit or other == "__init__":
                continue
            assert other in LAYERS, f"{imported}: add it to LAYERS"
            if LAYERS[other] >= LAYERS[unit]:
                violations.append(f"{rel} imports {imported} (layer {LAYERS[other]} ≥ {LAYERS[unit]})")
    assert not violations, "\n".join(violations)


def test_only_cli_prints() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("cli.py",):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, offenders
