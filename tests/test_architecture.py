"""The house (STYLE.md): parts, and the imports allowed between them. Anything not allowed fails.

Each module of ``generator/`` belongs to exactly one part; a part may import itself and the parts
listed for it. The checks read the source (``ast``), so they cost nothing and cannot be fooled by
import order at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# part -> the top-level modules or subpackages of generator/ that make it up
PARTS: dict[str, set[str]] = {
    "Face": {"cli", "__main__"},
    "Serve": {"serve", "watch"},
    "Commands": {"check", "retag", "scaffold", "review"},
    "Build": {"build", "cache"},
    "Ingest": {"ingest"},
    "Sources": {"sources"},
    "Extract": {"extract"},
    "Taxonomy": {"taxonomy"},
    "Plan": {"plan"},
    "Render": {"render", "markup", "fragments", "templating"},
    "Write": {"write"},
    "Exec": {"executor"},
    "Core": {"__init__", "config", "config_schema", "model", "frontmatter", "errors", "slug", "topicmatch",
             "links"},
}
STAGES = {"Build", "Ingest", "Sources", "Extract", "Taxonomy", "Plan", "Render", "Write", "Exec"}

# part -> the parts it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "Face": {"Build", "Serve", "Commands", "Ingest", "Extract", "Core"},
    "Serve": {"Build", "Core"},
    "Commands": STAGES | {"Core"},
    "Build": {"Ingest", "Sources", "Taxonomy", "Plan", "Render", "Write", "Exec", "Core"},
    "Ingest": {"Sources", "Extract", "Taxonomy", "Write", "Core"},
    "Sources": {"Core"},
    "Extract": {"Core"},
    "Taxonomy": {"Core"},
    "Plan": {"Taxonomy", "Core"},
    "Render": {"Plan", "Core"},
    "Write": {"Core"},
    "Exec": {"Core"},
    "Core": set(),
}
PURE = {"Extract", "Taxonomy", "Plan"}  # no file or network I/O
# Write; the cache, the feed state, the inbox's memory and what the WebSub hub was last told (pingstate)
# own their .digest/ files
WRITERS = {"write.py", "cache.py", "sources/feedstate.py", "sources/statedb.py"}
MAX_LINES = 600

# Calls that change files, or (for the pure parts) read them or reach the network.
WRITE_METHODS = {"write_text", "write_bytes", "unlink", "mkdir", "rmdir", "rename", "touch", "chmod",
                 "symlink_to", "hardlink_to"}
WRITE_FUNCTIONS = {"os.replace", "os.rename", "os.unlink", "os.remove", "os.mkdir", "os.makedirs", "os.rmdir",
                   "os.link", "os.symlink", "os.chmod", "shutil.rmtree", "shutil.copyfile", "shutil.copy",
                   "shutil.copytree", "shutil.move", "tempfile.mkstemp", "tempfile.mkdtemp"}
READ_METHODS = {"read_text", "read_bytes", "stat", "iterdir", "glob", "rglob", "exists", "is_file", "is_dir"}
IO_MODULES = {"socket", "sqlite3", "subprocess", "shutil", "tempfile", "urllib.request", "http.client",
              "http.server", "requests", "httpx"}


def _modules() -> list[tuple[str, Path]]:
    """(the part's unit name, path) of every module: ``generator/sources/fetch.py`` → ``sources``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        found.append((rel.parts[0].removesuffix(".py"), path))
    return found


def _part(unit: str) -> str | None:
    return next((part for part, units in PARTS.items() if unit in units), None)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imported_units(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "generator":  # a submodule, or a name of the package itself (__version__)
                names = [f"generator.{a.name}" if (PACKAGE / a.name).is_dir() or (PACKAGE / f"{a.name}.py").exists()
                         else "generator" for a in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "generator":
                found.add(parts[1] if len(parts) > 1 else "__init__")
    return found


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _open_mode(call: ast.Call) -> str:
    mode = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "mode"), None)
    return mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"


def test_every_module_belongs_to_a_part() -> None:
    lost = [str(path.relative_to(PACKAGE)) for unit, path in _modules() if _part(unit) is None]
    assert not lost, f"modules outside the house (add them to a part in STYLE.md and here): {lost}"


def test_imports_follow_the_house() -> None:
    violations = []
    for unit, path in _modules():
        part = _part(unit)
        if part is None:
            continue  # test_every_module_belongs_to_a_part says so
        for other_unit in _imported_units(_tree(path)):
            other = _part(other_unit)
            if other is None:
                violations.append(f"{path.relative_to(PACKAGE)} imports generator.{other_unit}, which is in no part")
            elif other != part and other not in ALLOWED[part]:
                violations.append(f"{path.relative_to(PACKAGE)} ({part}) imports generator.{other_unit} ({other})")
    assert not violations, "\n".join(violations)


def test_pure_parts_do_no_io() -> None:
    offenders = []
    for unit, path in _modules():
        if _part(unit) not in PURE:
            continue
        tree = _tree(path)
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [f"{where} imports {n}" for n in names if n in IO_MODULES or n.split(".")[0] in IO_MODULES]
            elif isinstance(node, ast.Call):
                name = _dotted(node.func)
                if name == "open" or name.startswith("os.") or (
                        isinstance(node.func, ast.Attribute) and node.func.attr in READ_METHODS | WRITE_METHODS):
                    offenders.append(f"{where} calls {name or node.func.attr}")  # type: ignore[attr-defined]
    assert not offenders, "\n".join(offenders)


def test_only_write_changes_files() -> None:
    offenders = []
    for _unit, path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in WRITERS:
            continue
        for node in ast.walk(_tree(path)):
            if not isinstance(node, ast.Call):
                continue
            name = _dotted(node.func)
            method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            writes = (name in WRITE_FUNCTIONS or method in WRITE_METHODS
                      or (name in ("open", "os.fdopen") and any(c in _open_mode(node) for c in "wax+")))
            if writes:
                offenders.append(f"{rel}:{node.lineno} calls {name or method}")
    assert not offenders, "\n".join(offenders)


def test_only_cli_prints() -> None:
    offenders = []
    for _unit, path in _modules():
        if path.name == "cli.py":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, offenders


def test_modules_stay_readable_in_one_sitting() -> None:
    long = {str(path.relative_to(PACKAGE)): n for _unit, path in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these (over {MAX_LINES} lines): {long}"


def test_the_checks_catch_a_violation(tmp_path: Path) -> None:
    """The table is not vacuous: a stage importing another stage, or a pure part reading files, is seen."""
    bad = ast.parse("from generator.render import body_html\nfrom generator import write\n")
    assert {_part(u) for u in _imported_units(bad)} == {"Render", "Write"}
    assert "Render" not in ALLOWED["Extract"] and "Write" not in ALLOWED["Taxonomy"]
    assert "Ingest" not in ALLOWED["Serve"] and "Write" not in ALLOWED["Serve"]
    call = ast.parse("open(p, 'wb')").body[0]
    assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call) and _open_mode(call.value) == "wb"
