"""mentorkit uses Typer, Click, Rich and Jinja2 through their public APIs only.

A name that starts with `_` in those packages (a module such as `typer._click`, or a function)
is theirs to change in any release; the declared version ranges would then be untrue. The
check reads every module under src/ (its syntax tree, so text in strings does not count).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mentorkit"
LIBRARIES = ("typer", "click", "rich", "jinja2")


def private_imports(source: str) -> list[str]:
    """Each `import`/`from ... import` of a private part of one of the libraries, as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
            names: list[str] = []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
            names = [alias.name for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] not in LIBRARIES:
                continue
            if any(part.startswith("_") for part in parts) or any(name.startswith("_") for name in names):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_imports_a_private_name_of_typer_click_rich_or_jinja2() -> None:
    modules = sorted(SRC.rglob("*.py"))
    assert len(modules) > 30
    offences = {
        str(path.relative_to(SRC)): found
        for path in modules
        if (found := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offences == {}


@pytest.mark.parametrize(
    "source",
    [
        "from typer._click import exceptions",
        "import typer._coercion",
        "from typer.core import _TyperParameter",
        "from rich._ratio import ratio_reduce",
        "import click._compat as compat",
        "from jinja2 import _identifier",
        "def f():\n    from typer._click.shell_completion import CompletionItem",
        "if True:\n    import rich._wrap",
    ],
)
def test_the_check_finds_private_imports(source: str) -> None:
    assert private_imports(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "import typer",
        "from typer.core import TyperGroup, TyperOption",
        "from typer.main import get_command",
        "from rich.console import Console",
        "from . import _private",
        "from mentorkit._x import y",
        "text = 'from typer._click import core'",
        "import typer_extras._x",
    ],
)
def test_the_check_lets_public_imports_pass(source: str) -> None:
    assert private_imports(source) == []


def test_the_package_has_no_import_cycle_through_the_entry() -> None:
    """The command starts in `mentorkit.cli:main`; the lazy group does not import `mentorkit.cli`."""
    lazy = ast.parse((SRC / "cli" / "lazy.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(lazy) if isinstance(node, ast.ImportFrom) and node.module} | {
        alias.name for node in ast.walk(lazy) if isinstance(node, ast.Import) for alias in node.names
    }
    assert "mentorkit.cli" not in imported
    assert not (SRC / "entry.py").exists() and not (SRC / "cli_snapshot.py").exists()


def test_one_place_reads_mentorkit_db() -> None:
    """`store.db.resolve_db_path` reads MENTORKIT_DB; the --db option does not read it as well."""
    reads = re.compile(r"""(environ\.get\(|environ\[|getenv\(|envvar=)\s*["']MENTORKIT_DB["']""")
    readers = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if reads.search(path.read_text("utf-8")))
    assert readers == ["store/db.py"]
    assert reads.search('envvar="MENTORKIT_DB"') and reads.search("os.environ.get('MENTORKIT_DB')")


def test_the_db_option_wins_over_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from mentorkit.cli import app

    named, from_env = tmp_path / "named.db", tmp_path / "env.db"
    monkeypatch.setenv("MENTORKIT_DB", str(from_env))
    runner = CliRunner()
    assert runner.invoke(app, ["--db", str(named), "demo"]).exit_code == 0
    assert named.exists() and not from_env.exists()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    assert from_env.exists()
