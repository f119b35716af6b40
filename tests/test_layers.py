"""The one-way layers (pyproject.toml, [tool.importlinter]): the contract holds, catches a wrong import, no cycle.

`make lint` runs the same contract; these tests show that it can fail, and that the packages form no
cycle among themselves (an import-linter "layers" contract does not say so by itself for siblings).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
PACKAGES = CONFIG["root_packages"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _copy_of_the_code(into: Path) -> Path:
    """The project's packages and pyproject.toml, Python files only, in ``into``."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, into / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", into / "pyproject.toml")
    return into


def _lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", "pyproject.toml"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_layers_contract_is_kept():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "wrong_import"),
    [
        ("domain/_wrong.py", "from etl import catalog"),  # the bottom layer reaching up
        ("store/_wrong.py", "from seed.public import seed_public_exports"),  # the store reaching for seeding
        ("analysis/_wrong.py", "from store.versions import Store"),  # siblings are independent
        ("etl/_wrong.py", "from validation.schemas import Allocation"),  # reading reaching for validation
        ("viewmodels/_wrong.py", "import streamlit"),  # Streamlit below the adapter
        ("pages/_wrong.py", "from analysis.aggregate import by_window"),  # a page computing
    ],
)
def test_a_wrong_import_breaks_the_contract(tmp_path, module, wrong_import):
    folder = _copy_of_the_code(tmp_path)
    (folder / module).write_text(f'"""A deliberately wrong import."""\n\n{wrong_import}\n')
    done = _lint(folder)
    assert done.returncode != 0, done.stdout
    assert "BROKEN" in done.stdout
    wrong = module.removesuffix(".py").replace("/", ".")
    assert wrong in done.stdout, done.stdout
    assert done.stdout.count("BROKEN") == 1, "exactly the one contract the wrong import breaks"


def test_no_package_imports_another_that_imports_it_back():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    edges = {p: set() for p in PACKAGES}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = module.split(".")[0], imported.split(".")[0]
            if a != b:
                edges[a].add(b)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in edges[start])

    cycles = sorted(p for p in PACKAGES if reaches(p, p, {p}))
    assert cycles == [], {p: sorted(edges[p]) for p in cycles}
    assert edges["domain"] == set(), "the bottom layer imports no other layer"
    assert "etl" in edges["validation"], "the check really sees imports (validation reads through etl)"
