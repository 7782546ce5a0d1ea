"""The mutation tool (tools/mutation.py) makes the mutants docs/testing.md says it makes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parent.parent / "tools" / "mutation.py"


def _tool():
    if str(TOOL.parent) not in sys.path:
        sys.path.insert(0, str(TOOL.parent))  # the tool imports mutation_select beside it
    spec = importlib.util.spec_from_file_location("mutation_tool", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation_tool"] = module
    spec.loader.exec_module(module)
    return module


SOURCE = '''
from dataclasses import dataclass

@dataclass(frozen=True)
class Item:
    """A docstring that says SELECT nothing WHERE x = 1."""
    due: int

def late(rows, today):
    pairs = list(zip(rows, rows, strict=True))
    sql = "SELECT id FROM followup WHERE status = 'open' AND due_on < :today"
    return [r for r in rows if r.due <= today], pairs, sql
'''


def test_rules_are_mutated_and_decorators_zip_strict_and_docstrings_are_not() -> None:
    says = [m.says for m in _tool().find_mutants(SOURCE)]
    assert "<= -> <" in says
    assert "SQL: drop \"status = 'open'\"" in says
    assert "SQL: 'due_on < :today' -> 'due_on <= :today'" in says
    assert not [s for s in says if s in ("True -> False", "False -> True")]  # frozen= and strict=
    assert not [s for s in says if "x = 1" in s]  # the docstring


def test_a_dropped_sql_condition_becomes_true_which_postgresql_accepts_beside_and() -> None:
    tool = _tool()
    mutant = next(m for m in tool.find_mutants(SOURCE) if m.says == "SQL: drop \"status = 'open'\"")
    assert "WHERE TRUE AND due_on < :today" in tool.apply(SOURCE, mutant)


def test_a_shift_in_sql_is_not_mutated_as_a_comparison() -> None:
    """`1 << 62` holds two `<` that are no comparison: a mutant of one only breaks the statement."""
    source = 'sql = "SELECT id FROM change WHERE id < coalesce(?, 1 << 62) AND n >> 1 > 0"\n'
    says = [m.says for m in _tool().find_mutants(source)]
    assert "SQL: 'id < coalesce(?, 1 << 62)' -> 'id <= coalesce(?, 1 << 62)'" in says
    assert not [s for s in says if "<=<" in s or "<<=" in s or ">=>" in s or ">>=" in s], says


STATEMENTS = """
LIMIT = 5

def due(rows, today, days=LIMIT + 1):
    found = [
        r for r in rows
        if r < today
    ]
    return found

class Board:
    size = 3 * 2

    def late(self, x):
        return x > self.size
"""


def test_a_mutant_runs_the_tests_of_its_statement_or_all_when_it_runs_at_import() -> None:
    _tool()  # puts tools/ on the path for mutation_select
    import ast

    from mutation_select import statement_lines

    tree = ast.parse(STATEMENTS)
    lines = statement_lines(tree)
    nodes = list(ast.walk(tree))

    def line_of(kind: type, text: str) -> int | None:
        (n,) = [i for i, node in enumerate(nodes) if isinstance(node, kind) and ast.unparse(node) == text]
        return lines[n]

    assert line_of(ast.Compare, "r < today") == 5  # the first line of its multi-line statement
    assert line_of(ast.Compare, "x > self.size") == 15
    assert line_of(ast.BinOp, "LIMIT + 1") is None  # a default value: evaluated at import
    assert line_of(ast.BinOp, "3 * 2") is None  # a class body: run at import
    assert line_of(ast.Constant, "5") is None  # module level


def test_an_edit_under_tests_during_a_run_is_seen(tmp_path, monkeypatch) -> None:
    tool = _tool()
    (tmp_path / "tests" / "__pycache__").mkdir(parents=True)
    (tmp_path / "tests" / "test_a.py").write_text("def test_a(): pass\n")
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    before = tool._test_files_state()
    (tmp_path / "tests" / "__pycache__" / "test_a.pyc").write_bytes(b"x")  # Python's own cache: not an edit
    assert tool._test_files_state() == before
    (tmp_path / "tests" / "test_a.py").write_text("def test_a(): assert False\n")
    assert tool._test_files_state() != before


def test_the_failed_test_is_read_from_pytests_summary(tmp_path) -> None:
    """A kill is confirmed by running the failed test again alone: its id comes from the summary,
    parameters with spaces and all."""
    tool = _tool()
    log = tmp_path / "run.log"
    log.write_text(
        "..F\n=== short test summary info ===\n"
        "FAILED tests/test_cli.py::test_pipe[review --json] - AssertionError: assert 1 == 0\n"
        "!!! stopping after 1 failures !!!\n"
    )
    assert tool.failed_test(log) == "tests/test_cli.py::test_pipe[review --json]"
    log.write_text("ERROR tests/test_sync.py::test_hub - psycopg.OperationalError: too many clients\n")
    assert tool.failed_test(log) == "tests/test_sync.py::test_hub"
    log.write_text("3 passed in 1.2s\n")
    assert tool.failed_test(log) is None
    assert tool.failed_test(tmp_path / "missing.log") is None
