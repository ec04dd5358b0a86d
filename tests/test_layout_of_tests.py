"""The tests' own layout: shared helpers live in tests/helpers.py (no Qt) and tests/gui/helpers.py,
never in a test module or a conftest.py that others import. A test module imported by another
runs its tests' module-level code twice over, ties the two files' edits together, and a
conftest.py is pytest's to load, not a library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def imported_modules(source: str, name: str) -> set[str]:
    """Every module `source` (the module `name`) imports, in functions too; for `from a import b`
    both `a` and `a.b` (b may be a module)."""
    package = name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def forbidden(modules: set[str]) -> list[str]:
    """The test modules and conftest modules among `modules`."""
    return sorted(
        m
        for m in modules
        if m.startswith("tests.") and m.rpartition(".")[2].startswith(("test_", "conftest"))
    )


def test_no_test_file_imports_a_test_module_or_a_conftest() -> None:
    bad = {}
    for path in sorted(TESTS.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if found := forbidden(imported_modules(path.read_text(encoding="utf-8"), name)):
            bad[str(path.relative_to(ROOT))] = found
    assert bad == {}, "import these from tests/helpers.py or tests/gui/helpers.py instead"


def test_the_scan_finds_such_imports() -> None:
    source = (
        "from tests.gui.test_main_window import line\n"
        "def f():\n    from .test_data import serving\n"
        "import tests.conftest\n"
        "from tests.helpers import small_config\n"
        "from tests import strategies\n"
    )
    assert forbidden(imported_modules(source, "tests.engine.test_x")) == [
        "tests.conftest",
        "tests.engine.test_data",
        "tests.gui.test_main_window",
    ]


def test_the_shared_helpers_import_no_qt() -> None:
    qt = ("PySide6", "shiboken6", "pyqtgraph", "gui")
    code = f"import sys, tests.helpers; print(sorted(m for m in sys.modules if m.split('.')[0] in {qt}))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
