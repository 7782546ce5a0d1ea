"""Which tests to run for a mutant: the tests that ran the mutated statement (tools/mutation.py).

The unmutated run of a module's tests is recorded under coverage.py, each test as its own
context (`Coverage.switch_context` with the test's node id), so each executed line of the module
maps to the tests that ran it. A mutant then runs only those tests, in their usual order. It is
a first pass, never the verdict on a survivor: a mutant that passes its chosen tests runs the
whole subset before it is called a survivor (a cached result can hide a line from the tests that
relied on it), so choosing tests only makes killing faster. A statement run at import (module or
class level, a default value, a decorator) or one no test ran in-process runs the whole subset.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any


def statement_lines(tree: ast.Module) -> dict[int, int | None]:
    """For each node (by its index in `ast.walk` order): the first line of the statement that
    runs it inside a function body, or None when it runs at import time."""
    index = {id(node): n for n, node in enumerate(ast.walk(tree))}
    found: dict[int, int | None] = {}

    def visit(node: ast.AST, line: int | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[index[id(node)]] = line
            for part in (*node.decorator_list, node.args, *([node.returns] if node.returns else [])):
                visit(part, line)  # evaluated where the function is defined
            for statement in node.body:
                visit(statement, statement.lineno)
            return
        if isinstance(node, ast.ClassDef):
            found[index[id(node)]] = line
            for child in ast.iter_child_nodes(node):
                visit(child, line)  # a class body runs where the class is defined
            return
        if isinstance(node, ast.stmt) and line is not None:
            line = node.lineno
        found[index[id(node)]] = line
        for child in ast.iter_child_nodes(node):
            visit(child, line)

    for statement in tree.body:
        visit(statement, None)
    return found


class Recorder:
    """A pytest plugin that gives each test its own coverage context, and remembers the order."""

    def __init__(self, cov: Any) -> None:
        self.cov = cov
        self.order: list[str] = []

    def pytest_runtest_setup(self, item: Any) -> None:
        self.order.append(item.nodeid)
        self.cov.switch_context(item.nodeid)


def record_run(tests: list[str], target: Path, out: Path, pytest_args: list[str]) -> int:
    """Run the tests under coverage of `target` alone (in the forked child) and write, to `out`,
    the tests' order and which tests ran each line. The exit status of pytest."""
    import coverage
    import pytest

    cov = coverage.Coverage(data_file=None, include=[str(target)], config_file=False)
    recorder = Recorder(cov)
    cov.start()
    try:
        code = int(pytest.main([*pytest_args, *tests], plugins=[recorder]))
    finally:
        cov.stop()
    data = cov.get_data()
    lines: dict[str, list[str]] = {}
    for name in data.measured_files():
        if Path(name).resolve() == target.resolve():
            for line, contexts in data.contexts_by_lineno(name).items():
                lines[str(line)] = sorted({c for c in contexts if c})
    out.write_text(json.dumps({"order": recorder.order, "lines": lines}), encoding="utf-8")
    return code


class Chooser:
    """The tests to run for a statement line, from a recorded run."""

    def __init__(self, recorded: Path) -> None:
        data = json.loads(recorded.read_text(encoding="utf-8"))
        self.position = {nodeid: n for n, nodeid in enumerate(data["order"])}
        self.lines: dict[int, list[str]] = {int(k): v for k, v in data["lines"].items()}

    def tests_for(self, line: int | None) -> list[str] | None:
        """The node ids in their usual order, or None: run the whole subset."""
        if line is None or not self.lines.get(line):
            return None
        return sorted(self.lines[line], key=lambda nodeid: self.position.get(nodeid, len(self.position)))
