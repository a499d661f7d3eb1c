"""Every thaievents module a DVC stage imports (directly or not) is a dep of that stage."""

import ast
from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT

SRC = ROOT / "src"
STAGES = yaml.safe_load((ROOT / "dvc.yaml").read_text(encoding="utf-8"))["stages"]


def module_file(name: str) -> Path | None:
    path = SRC / Path(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def imported_modules(path: Path) -> set[str]:
    """thaievents modules imported anywhere in a file (function-level imports too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("thaievents")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("thaievents"):
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names if module_file(f"{node.module}.{a.name}")}
    return names


def closure(start: Path) -> set[Path]:
    """The files of every thaievents module reachable by imports from ``start``."""
    seen, todo = {start}, [start]
    while todo:
        for name in imported_modules(todo.pop()):
            found = module_file(name)
            if found is not None and found not in seen:
                seen.add(found)
                todo.append(found)
    return {p for p in seen if p.name != "__init__.py" or p.stat().st_size > 200}


def interpolate(dep: str) -> str:
    params = yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))
    if dep.startswith("${"):
        key, rest = dep[2:].split("}", 1)
        value = params
        for part in key.split("."):
            value = value[part]
        return f"{value}{rest}"
    return dep


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_stage_deps_cover_every_imported_module(stage: str) -> None:
    deps = [ROOT / interpolate(d) for d in STAGES[stage]["deps"]]
    needed = closure(SRC / "thaievents" / "stages" / f"{stage}.py")
    missing = sorted(
        str(p.relative_to(ROOT)) for p in needed if not any(p == d or d in p.parents for d in deps)
    )
    assert missing == [], f"add to dvc.yaml {stage} deps: {missing}"


def test_the_check_sees_function_level_imports() -> None:
    """evaluate imports ThaiNER helpers inside a function body: the closure must find them."""
    needed = closure(SRC / "thaievents" / "stages" / "evaluate.py")
    assert SRC / "thaievents" / "data" / "thainer.py" in needed
