"""Mutation testing of mentorkit's rule modules: how many small slips does the suite catch?

    python tools/mutation.py                            # every rule module, one after another
    python tools/mutation.py domain/followups.py        # one module, with its own test subset
    python tools/mutation.py dates.py --list            # the mutants, without running anything
    python tools/mutation.py dates.py --only 12,40 --diff   # re-run two mutants, showing each change
    python tools/mutation.py merge --tests tests/test_rules_merge.py   # another test subset
    python tools/mutation.py review --sample 60          # 60 mutants drawn at random, the same each time

Each *mutant* is the module with one small change of the kind a person slips into a rule: a
boundary moved (`<` for `<=`), a test reversed (`==`/`!=`, `in`/`not in`, `and`/`or`, a `not`
dropped), a sum turned round (`+`/`-`), a constant off by one, `min` for `max`; and inside SQL
text, where half of mentorkit's rules live, an operator moved or reversed the same way, or one
condition dropped (replaced by `TRUE`). The mutant runs the module's tests (`pytest -x`); it is
*killed* when a test fails (or it runs past the time limit) and *survives* when all pass.
The kill rate is killed / mutants.

Why our own tool rather than mutmut or cosmic-ray: the rules that matter most are SQL
conditions inside string literals (`status = 'held'`, `due_on <= ?`), which those tools mutate
only as opaque strings; and this one needs no configuration of the src layout or session
database: it works on a private copy of the package (put first on PYTHONPATH), so the working
tree is never changed, even when a run is interrupted.

Mutants are numbered in a fixed order (the module's syntax tree, breadth first), so a number
names the same mutant until the module changes. docs/testing.md has the figures and explains
each survivor.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import difflib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mutation_select import Chooser, record_run, statement_lines

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "mentorkit"

# The rule modules and the tests that speak for each (the targeted subset a mutant runs).
MODULES: dict[str, list[str]] = {
    "domain/followups.py": ["tests/test_rules_followups.py", "tests/test_daily_loop.py", "tests/test_rules_review.py"],
    "domain/review.py": ["tests/test_rules_review.py", "tests/test_cadence_kept.py", "tests/test_relationships.py"],
    "dates.py": ["tests/test_rules_dates.py", "tests/test_dates.py"],
    "exchange/merge.py": ["tests/test_rules_merge.py", "tests/test_import_matching.py", "tests/test_exchange_json.py"],
    "domain/edits.py": ["tests/test_edits.py"],
    # test_rules_sync.py: a sync's step ends with every change pushed, the case of pruning's "no limit"
    "store/journal.py": ["tests/test_journal.py", "tests/test_edits.py", "tests/test_rules_sync.py"],
    "domain/journal.py": ["tests/test_journal.py"],
    "cadences.py": [
        "tests/test_cadences.py",
        "tests/test_cadence_kept.py",
        "tests/test_rules_dates.py",
        "tests/test_rules_review.py",
        "tests/test_series.py",
    ],
    # The sync tests run against a real PostgreSQL server: one for the whole run (see `_hub`).
    "sync/remote.py": [
        "tests/test_rules_sync.py",
        "tests/test_sync.py",
        "tests/test_sync_faults.py",
        "tests/test_sync_model.py",
    ],
    "sync/local.py": [
        "tests/test_rules_sync.py",
        "tests/test_sync.py",
        "tests/test_sync_faults.py",
        "tests/test_sync_model.py",
    ],
    "sync/engine.py": [
        "tests/test_rules_sync.py",
        "tests/test_sync.py",
        "tests/test_sync_hub.py",
        "tests/test_sync_faults.py",
        "tests/test_sync_model.py",
    ],
}
# A test file that takes one of these fixtures needs the PostgreSQL server (tests/conftest.py).
HUB_FIXTURE = re.compile(r"\b(?:pg_server|hub|ready_hub|devices)\s*:")

COMPARE_SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
BINOP_SWAPS: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult}
SYMBOLS = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.FloorDiv: "//",
}

SQL_HINT = re.compile(r"\b(SELECT|WHERE|UPDATE|INSERT|DELETE|FROM|JOIN)\b")
_OPERAND = r"(?::\w+|\?\d*|%s|%\(\w+\)s|'[^']*'|-?\d+|[\w.]+(?:\([^()]*\))?)"  # %s: psycopg (sync)
_COLUMN = r"[\w.]+(?:\([^()]*\))?"
SQL_CONDITION = re.compile(
    rf"{_COLUMN} BETWEEN {_OPERAND} AND {_OPERAND}"
    rf"|{_COLUMN} IS (?:NOT )?NULL"
    rf"|{_COLUMN} (?:NOT )?IN \([^()]*\)"
    rf"|{_COLUMN}\s*(?:<=|>=|!=|<>|=|<|>)\s*{_OPERAND}"
)
# `<<` and `>>` are shifts, not comparisons: mutating half of one only breaks the statement.
SQL_OPERATOR = re.compile(
    r"<=|>=|!=|<>|(?<![<>!])=|(?<![<>])<(?![=<])|(?<![<>])>(?![=>])| IS NOT NULL| IS NULL| NOT IN \(| IN \("
)
SQL_SWAPS = {
    "<=": "<",
    "<": "<=",
    ">=": ">",
    ">": ">=",
    "=": "!=",
    "!=": "=",
    "<>": "=",
    " IS NULL": " IS NOT NULL",
    " IS NOT NULL": " IS NULL",
    " IN (": " NOT IN (",
    " NOT IN (": " IN (",
}
SQL_FUNCTIONS = re.compile(r"\b(max|min)\(")


@dataclass(frozen=True)
class Mutant:
    number: int
    node: int  # index of the node in ast.walk order
    kind: str  # compare, boolop, not, binop, number, bool, call, sql
    detail: tuple[object, ...]  # what to change (the operator's place, the new text, ...)
    line: int
    says: str  # what the change is, for people


def _skipped(tree: ast.Module) -> set[int]:
    """Nodes not worth mutating: docstrings, annotations, assert statements, class decorators and
    `zip`'s `strict=` (ids of the nodes)."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            mark(first)
        if isinstance(node, ast.AnnAssign | ast.arg):
            mark(node.annotation)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            mark(node.returns)
        if isinstance(node, ast.Assert):
            mark(node)
        # Not rule slips, and equivalent wherever the code is right: a class decorator's options
        # (`frozen=True`: nothing assigns to the records) and `zip(strict=True)` (its sequences are
        # one value per column by construction). They were a quarter of the survivors explained.
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                mark(decorator)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "zip":
            for keyword in node.keywords:
                if keyword.arg == "strict":
                    mark(keyword)
    return skip


SQL_CONDITION_AFTER = re.compile(r"(?:\bWHERE|\bAND|\bOR|\bON|\bWHEN|\bNOT|\()\s*$")


def _sql_changes(text: str) -> Iterator[tuple[str, str]]:
    """(mutated text, description) for each SQL mutation of a string literal: the conditions
    (after WHERE, AND, OR, ON, WHEN, NOT or an opening bracket), not the assignments of a SET."""
    for cond in SQL_CONDITION.finditer(text):
        piece = cond.group(0)
        if not SQL_CONDITION_AFTER.search(text[: cond.start()]):
            continue
        # TRUE, not 1: PostgreSQL (the sync hub) refuses `1 AND ...`, which would kill a mutant by a type error
        yield text[: cond.start()] + "TRUE" + text[cond.end() :], f"SQL: drop {piece!r}"
        for op in SQL_OPERATOR.finditer(piece):
            if "BETWEEN" in piece:
                break
            new = SQL_SWAPS[op.group(0)]
            changed = piece[: op.start()] + new + piece[op.end() :]
            yield text[: cond.start()] + changed + text[cond.end() :], f"SQL: {piece!r} -> {changed!r}"
    for fn in SQL_FUNCTIONS.finditer(text):
        other = "min" if fn.group(1) == "max" else "max"
        yield text[: fn.start()] + other + text[fn.start() + 3 :], f"SQL: {fn.group(1)}( -> {other}("


def find_mutants(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skip = _skipped(tree)
    found: list[Mutant] = []

    def add(index: int, node: ast.AST, kind: str, detail: tuple[object, ...], says: str) -> None:
        found.append(Mutant(len(found), index, kind, detail, getattr(node, "lineno", 0), says))

    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for place, op in enumerate(node.ops):
                new = COMPARE_SWAPS.get(type(op))
                if new:
                    add(index, node, "compare", (place,), f"{SYMBOLS[type(op)]} -> {SYMBOLS[new]}")
        elif isinstance(node, ast.BoolOp):
            add(index, node, "boolop", (), "and -> or" if isinstance(node.op, ast.And) else "or -> and")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(index, node, "not", (), "drop a `not`")
        elif isinstance(node, ast.BinOp) and type(node.op) in BINOP_SWAPS:
            new = BINOP_SWAPS[type(node.op)]
            add(index, node, "binop", (), f"{SYMBOLS[type(node.op)]} -> {SYMBOLS[new]}")
        elif isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool):
                add(index, node, "bool", (not value,), f"{value} -> {not value}")
            elif isinstance(value, int):
                add(index, node, "number", (value + 1,), f"{value} -> {value + 1}")
            elif isinstance(value, str) and SQL_HINT.search(value):
                for text, says in _sql_changes(value):
                    add(index, node, "sql", (text,), says)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("max", "min"):
            other = "min" if node.func.id == "max" else "max"
            add(index, node, "call", (other,), f"{node.func.id}() -> {other}()")
    return found


def apply(source: str, mutant: Mutant) -> str:
    tree = ast.parse(source)
    node = list(ast.walk(tree))[mutant.node]
    if mutant.kind == "compare":
        assert isinstance(node, ast.Compare)
        place = int(mutant.detail[0])  # type: ignore[call-overload]
        node.ops[place] = COMPARE_SWAPS[type(node.ops[place])]()
    elif mutant.kind == "boolop":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif mutant.kind == "not":
        assert isinstance(node, ast.UnaryOp)
        node.operand = ast.UnaryOp(ast.Not(), copy.deepcopy(node.operand))  # `not not x`: x's truth
    elif mutant.kind == "binop":
        assert isinstance(node, ast.BinOp)
        node.op = BINOP_SWAPS[type(node.op)]()
    elif mutant.kind in ("number", "bool", "sql"):
        assert isinstance(node, ast.Constant)
        node.value = mutant.detail[0]
    elif mutant.kind == "call":
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        node.func.id = str(mutant.detail[0])
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _warm_up() -> None:
    """Import what every test run needs except mentorkit itself, once, before any fork: each
    mutant then runs in a forked child that pays only for the tests (and the mutated package)."""
    import pytest  # noqa: F401

    for name in ("typer", "typer.testing", "click", "rich", "dateutil.relativedelta", "dateutil.rrule"):
        __import__(name)
    for name in ("hypothesis", "time_machine", "jinja2", "sqlmodel", "psycopg", "coverage"):
        with contextlib.suppress(ImportError):
            __import__(name)


def _pytest(
    tests: list[str],
    copy_root: Path,
    timeout: float,
    record: tuple[Path, Path] | None = None,
    log: Path | None = None,
) -> tuple[str, float]:
    """'pass', 'fail' or 'timeout' for the tests run against the package in `copy_root`, and
    the seconds it took. The run is a forked child (see `_warm_up`); subprocesses the tests
    start find the same package through PYTHONPATH. With `record` (the mutated module's path,
    a file to write), the whole run is recorded under coverage (tools/mutation_select.py); with
    `log`, pytest's output goes there."""
    began = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.setpgid(0, 0)  # its own process group, so processes the tests start go with it
            os.chdir(ROOT)
            os.environ["PYTHONPATH"] = str(copy_root)
            sys.path.insert(0, str(copy_root))
            null = os.open(log or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(null, 1)
            os.dup2(null, 2)
            import pytest

            options = ["-q", "-p", "no:cacheprovider", "--no-header"]
            if record:
                code = record_run(tests, record[0], record[1], options)
            else:
                code = int(pytest.main(["-x", *options, *tests]))
        finally:
            os._exit(code)
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return ("pass" if os.waitstatus_to_exitcode(status) == 0 else "fail"), time.monotonic() - began
            if time.monotonic() - began > timeout:
                return "timeout", time.monotonic() - began
            time.sleep(0.05)
    finally:  # a finished run's leftovers, a run past its time, or the tool interrupted
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


@contextlib.contextmanager
def _hub(tests: list[str]) -> Iterator[object | None]:
    """One PostgreSQL server for every mutant's run when the tests need one (tests/pg_helpers.py):
    starting a server per run would cost seconds each, and a run killed at its time limit would
    leave its server running. Each run makes its own databases; `_between` drops them."""
    files = [ROOT / t.partition("::")[0] for t in tests]  # a test file, or one test in it
    if not any(HUB_FIXTURE.search(f.read_text(encoding="utf-8")) for f in files if f.is_file()):
        yield None
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pg_helpers import SHARED_ENV, PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        sys.exit("these tests need PostgreSQL's server binaries (pg_ctl): apt-get install postgresql")
    server = PgServer.shared(bindir)
    os.environ[SHARED_ENV] = server.spec
    try:
        yield server
    finally:
        os.environ.pop(SHARED_ENV, None)
        with contextlib.suppress(Exception):
            server.stop("immediate")
        server.remove()


def _between(server: object | None) -> None:
    """After a run: the shared server up again (a test stops and restarts it; a run killed in
    between leaves it down) and the run's databases dropped."""
    if server is None:
        return
    if not server.running():  # type: ignore[attr-defined]
        with contextlib.suppress(subprocess.CalledProcessError):
            server.start()  # type: ignore[attr-defined]
    server.drop_databases()  # type: ignore[attr-defined]


def _test_files_state() -> dict[str, tuple[int, int]]:
    """Each file under tests/ by its modification time and size: the tests each mutant runs are
    read from the working tree, so they must stay as they were when the run began."""
    return {
        str(path): (stat.st_mtime_ns, stat.st_size)
        for path in (ROOT / "tests").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and (stat := path.stat())
    }


def failed_test(log: Path) -> str | None:
    """The test a stopped (`-x`) pytest run names as failed in its summary, if any."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ", 1)[0].strip()
    return None


def _run_mutant(
    tests: list[str], copy_root: Path, timeout: float, hub: object | None, log: Path | None = None
) -> tuple[str, float]:
    """One run of a mutant's tests; one longer chance past the time limit (a busy machine, or a
    mutant that loops). With `log`, pytest's output of the last run goes there."""
    outcome, seconds = _pytest(tests, copy_root, timeout, log=log)
    _between(hub)
    if outcome == "timeout":
        outcome, seconds = _pytest(tests, copy_root, timeout * 3, log=log)
        _between(hub)
    return outcome, seconds


def _resolve(name: str) -> str:
    matches = [m for m in MODULES if name in m]
    if len(matches) != 1:
        sys.exit(f"{name!r} names {len(matches)} of the rule modules: {', '.join(MODULES)}")
    return matches[0]


def run_module(module: str, args: argparse.Namespace) -> tuple[int, int, list[Mutant]]:
    """Run one module's mutants; (killed, total, survivors)."""
    path = PACKAGE / module
    source = path.read_text(encoding="utf-8")
    mutants = find_mutants(source)
    if args.only:
        wanted = {int(n) for n in args.only.split(",")}
        mutants = [m for m in mutants if m.number in wanted]
    elif args.sample and args.sample < len(mutants):  # the same sample every time, for a module's text
        chosen = random.Random(f"{module}:{len(mutants)}").sample(mutants, args.sample)
        mutants = sorted(chosen, key=lambda m: m.number)
    tests = args.tests or MODULES[module]
    if args.list:
        for m in mutants:
            print(f"#{m.number:<4} line {m.line:<4} {m.says}")
        return 0, len(mutants), []
    with contextlib.ExitStack() as stack:
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="mentorkit-mutation-"))
        copy_root = Path(scratch) / "src"
        shutil.copytree(PACKAGE, copy_root / "mentorkit", ignore=shutil.ignore_patterns("__pycache__"))
        target = copy_root / "mentorkit" / module
        where = subprocess.run(
            [sys.executable, "-c", "import mentorkit; print(mentorkit.__file__)"],
            env={**os.environ, "PYTHONPATH": str(copy_root)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not where.startswith(str(copy_root)):
            sys.exit(f"the tests would import mentorkit from {where}, not from the mutated copy")
        hub = stack.enter_context(_hub(tests))
        recorded = Path(scratch) / "lines.json"
        record = None if args.all_tests else (target, recorded)
        log = Path(scratch) / "unmutated.log"
        outcome, baseline = _pytest(tests, copy_root, timeout=3600, record=record, log=log)
        _between(hub)
        if outcome != "pass":
            print(log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
            sys.exit(f"{module}: the tests fail before any mutation ({' '.join(tests)}); fix them first")
        timeout = baseline * 3 + 10
        chooser = None if args.all_tests else Chooser(recorded)
        lines = statement_lines(ast.parse(source))
        print(f"{module}: {len(mutants)} mutants, tests take {baseline:.1f} s ({' '.join(tests)})", flush=True)
        killed = 0
        survivors: list[Mutant] = []
        tests_as_run = _test_files_state()
        for m in mutants:
            if _test_files_state() != tests_as_run:  # an edit would decide the verdicts from here on
                sys.exit(
                    f"{module}: tests/ changed during the run, before #{m.number}; the verdicts from there on "
                    "would be the edit's. Run from a checkout nobody edits (git worktree add), or edit after the run"
                )
            mutated = apply(source, m)
            target.write_text(mutated, encoding="utf-8")
            for stale in (target.parent / "__pycache__").glob(f"{target.stem}.*.pyc"):
                stale.unlink()
            chosen = chooser.tests_for(lines.get(m.node)) if chooser else None
            log = (Path(args.logs).resolve() if args.logs else Path(scratch)) / f"{Path(module).stem}-{m.number}.log"
            outcome, seconds = _run_mutant(chosen or tests, copy_root, timeout, hub, log)
            if outcome == "pass" and chosen:  # a survivor is judged by the whole subset
                outcome, more = _run_mutant(tests, copy_root, timeout, hub, log)
                seconds += more
            note = ""
            if outcome == "fail" and (failed := failed_test(log)):
                # A kill is confirmed by the test that failed failing again alone. One that passes
                # then failed for another reason (a test that fails now and then on a loaded
                # machine): the whole subset decides once more.
                again, more = _run_mutant([failed], copy_root, timeout, hub)
                seconds += more
                if again == "pass":
                    outcome, more = _run_mutant(tests, copy_root, timeout, hub, log)
                    seconds += more
                    note = f"  [first failure not repeated alone: {failed}]"
            verdict = {"fail": "killed", "timeout": "killed (timeout)", "pass": "SURVIVED"}[outcome]
            if outcome == "pass":
                survivors.append(m)
            else:
                killed += 1
            print(f"  #{m.number:<4} line {m.line:<4} {verdict:<16} {m.says}  ({seconds:.1f} s){note}", flush=True)
            if args.diff:
                original = ast.unparse(ast.parse(source)).splitlines()
                for line in difflib.unified_diff(original, mutated.splitlines(), lineterm="", n=0):
                    if not line.startswith(("---", "+++", "@@")):
                        print(f"        {line[:160]}")
        target.write_text(source, encoding="utf-8")
    return killed, len(mutants), survivors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"rule modules (default all): {', '.join(MODULES)}")
    parser.add_argument("--tests", nargs="+", help="the tests each mutant runs (default: the module's subset)")
    parser.add_argument("--only", help="comma-separated mutant numbers to run")
    parser.add_argument("--sample", type=int, help="run N mutants drawn at random (the same N each run)")
    parser.add_argument("--list", action="store_true", help="list the mutants; run nothing")
    parser.add_argument("--diff", action="store_true", help="show each mutant's change")
    parser.add_argument(
        "--all-tests",
        action="store_true",
        help="run the whole subset for every mutant, not first the tests that ran the mutated statement",
    )
    parser.add_argument(
        "--logs", metavar="DIR", help="keep each mutant's pytest output in DIR (which test killed it, and how)"
    )
    args = parser.parse_args()
    if args.logs:
        Path(args.logs).mkdir(parents=True, exist_ok=True)
    modules = [_resolve(name) for name in args.modules] or list(MODULES)
    if not args.list:
        if "mentorkit" in sys.modules:
            sys.exit("mentorkit is already imported; the mutants would not be loaded")
        _warm_up()
    summary = []
    for module in modules:
        killed, total, survivors = run_module(module, args)
        summary.append((module, killed, total, survivors))
    if args.list:
        return
    print("\nkill rate (killed / mutants):")
    for module, killed, total, survivors in summary:
        rate = 100 * killed / total if total else 100.0
        print(f"  {module:<22} {killed:>4} / {total:<4} {rate:5.1f}%   survivors: {[m.number for m in survivors]}")


if __name__ == "__main__":
    main()
