"""`mentorkit --help` and Tab completion answered from the snapshot (mentorkit/entry.py).

The entry must give exactly what the full program (`mentorkit.cli.main`) gives, for every command
and the candidates a user types; leave everything else to it; import nothing heavy; and the
snapshot must be what `python -m mentorkit.cli.snapshot` makes of the app today. Timings are
measured outside the tests (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mentorkit import cli_snapshot as snapshot
from mentorkit import entry
from mentorkit.cli.snapshot import TARGET, help_names_in_order, render, run_program

SCRIPT = Path(sys.executable).with_name("mentorkit")
FULL_PROGRAM = [sys.executable, "-c", "from mentorkit.cli import main; main()"]
NOT_ON_FAST_PATHS = ("typer", "click", "rich", "sqlite3", "jinja2", "sqlalchemy", "sqlmodel", "pydantic")
SHELLS = ("bash", "zsh", "fish")
PATHS = list(snapshot.HELP)

Answer = tuple[int, str, str]


def test_the_snapshot_is_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(), (
        "src/mentorkit/cli_snapshot.py is out of date: run `python -m mentorkit.cli.snapshot` and commit it"
    )


# ---- the same answers as the full program ----------------------------------------------------


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """os.environ with `env` and without the variables of other requests; yields a copy of it."""
    names = {
        "COLUMNS",
        entry.COMPLETE_VAR,
        "COMP_WORDS",
        "COMP_CWORD",
        "_TYPER_COMPLETE_ARGS",
        "_TYPER_COMPLETE_FISH_ACTION",
        entry.TYPER_TEST_SWITCH,
        *env,
    }
    saved = {name: os.environ.pop(name, None) for name in names}
    os.environ.update(env)
    try:
        yield dict(os.environ)
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


@pytest.fixture(scope="module")
def program() -> Iterator[Callable[[list[str], dict[str, str]], Answer]]:
    """The full program in this process, built once (as `mentorkit.cli.main` builds it each run)."""
    import typer.main

    from mentorkit.cli import app

    with help_names_in_order():
        group = typer.main.get_command(app)

        def run(args: list[str], env: dict[str, str]) -> Answer:
            with environment(env):
                return run_program(group, args)

        yield run


def fast(args: list[str], env: dict[str, str]) -> Answer | None:
    with environment(env) as environ:
        return entry.fast_answer(args, environ)


@pytest.mark.parametrize("columns", ["80", "200"])
def test_help_of_every_command_is_typers(program: Callable[..., Answer], columns: str) -> None:
    for path in PATHS:
        for option in snapshot.HELP_OPTIONS:
            args = [*path, option]
            answer = fast(args, {"COLUMNS": columns})
            assert answer is not None, args
            assert answer == program(args, {"COLUMNS": columns}), args
    assert fast([], {"COLUMNS": columns}) == program([], {"COLUMNS": columns}) == (2, "", snapshot.HELP[()])


def test_a_narrow_terminal_gets_help_from_the_full_program(program: Callable[..., Answer]) -> None:
    for path in PATHS:
        assert fast([*path, "--help"], {"COLUMNS": "79"}) is None, path
    narrow = run_process([str(SCRIPT), "followups", "--help"], {"COLUMNS": "60"})
    assert narrow == run_process([*FULL_PROGRAM, "followups", "--help"], {"COLUMNS": "60"})
    assert narrow[1] != snapshot.HELP[("followups",)] and "Usage: mentorkit followups" in narrow[1]


@pytest.mark.parametrize("value", ["80", "120", " 100 ", "+90", "79", "0", "-3", "abc", "", "1_00", None])
def test_the_terminal_width_is_the_one_click_gets(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", value)
    assert entry._columns(os.environ) == shutil.get_terminal_size().columns


def completion_env(shell: str, path: tuple[str, ...], incomplete: str) -> dict[str, str]:
    line = " ".join(["mentorkit", *path, incomplete])
    if shell == "bash":
        return {entry.COMPLETE_VAR: "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(path) + 1)}
    env = {entry.COMPLETE_VAR: f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
    return {**env, "_TYPER_COMPLETE_FISH_ACTION": "get-args"} if shell == "fish" else env


def incompletes(path: tuple[str, ...]) -> set[str]:
    """What a user may have typed: nothing, a dash or two, the start of any name, a miss."""
    names = [name for name, _ in (*snapshot.SUBCOMMANDS.get(path, ()), *snapshot.OPTIONS[path])]
    return {"", "-", "--", "x", "_", "--no-such"} | {name[:end] for name in names for end in range(1, len(name) + 1)}


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_of_names_is_typers(program: Callable[..., Answer], shell: str) -> None:
    served = 0
    for path in PATHS:
        for incomplete in sorted(incompletes(path)):
            env = completion_env(shell, path, incomplete)
            answer = fast([], env)
            if path in snapshot.TAKES_ARGUMENTS and not incomplete.startswith("-"):
                assert answer is None, (path, incomplete)  # an argument's value: the full program's
                continue
            assert answer is not None, (path, incomplete)
            assert answer == program([], env), (path, incomplete)
            served += 1
    assert served > 1000


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("mentorkit fo", 0),
        ("mentorkit followup ", 0),
        ("mentorkit followups --j", 0),
        ("mentorkit zz", 1),
        ("mentorkit followups x", 1),
    ],
)
def test_fish_asks_whether_there_are_candidates(program: Callable[..., Answer], line: str, expected: int) -> None:
    env = {entry.COMPLETE_VAR: "complete_fish", "_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "is-args"}
    assert fast([], env) == program([], env) == (expected, "", "")


@pytest.mark.parametrize(
    "env",
    [
        {"COMP_WORDS": "mentorkit fo", "COMP_CWORD": "0"},
        {"COMP_WORDS": "mentorkit followup", "COMP_CWORD": "2"},
        {"COMP_WORDS": "mentorkit\tfollowup\n", "COMP_CWORD": "2"},
        {"COMP_WORDS": "", "COMP_CWORD": "1"},
    ],
)
def test_unusual_bash_lines_are_answered_as_typer_does(program: Callable[..., Answer], env: dict[str, str]) -> None:
    env = {entry.COMPLETE_VAR: "complete_bash", **env}
    assert fast([], env) == program([], env)


@pytest.mark.parametrize(
    "env",
    [
        {"COMP_WORDS": "mentorkit 'fo", "COMP_CWORD": "1"},  # quotes and backslashes: shlex's business
        {"COMP_WORDS": "mentorkit fo\\", "COMP_CWORD": "1"},
        {"COMP_WORDS": "mentorkit fo", "COMP_CWORD": "one"},
        {"COMP_WORDS": "mentorkit --db ", "COMP_CWORD": "2"},  # an option's value
        {"COMP_WORDS": "mentorkit --db=", "COMP_CWORD": "1"},
        {"COMP_WORDS": "mentorkit --db x fo", "COMP_CWORD": "3"},
        {"COMP_WORDS": "mentorkit no-such ", "COMP_CWORD": "2"},
        {"COMP_WORDS": "mentorkit show R", "COMP_CWORD": "2"},  # an argument's value
        {"COMP_CWORD": "1"},
        {"COMP_WORDS": "mentorkit fo", "COMP_CWORD": "1", entry.TYPER_TEST_SWITCH: "1"},
        {entry.COMPLETE_VAR: "complete_powershell", "_TYPER_COMPLETE_ARGS": "mentorkit fo"},
        {entry.COMPLETE_VAR: "bash_complete", "COMP_WORDS": "mentorkit fo", "COMP_CWORD": "1"},
        {entry.COMPLETE_VAR: "source_bash"},
    ],
)
def test_anything_else_goes_to_the_full_program(env: dict[str, str]) -> None:
    assert fast(["--help"], {entry.COMPLETE_VAR: "complete_bash", **env}) is None


@pytest.mark.parametrize(
    "args", [["--version", "--help"], ["--help", "followups"], ["followups"], ["-h", "-h"], ["nope", "--help"]]
)
def test_other_command_lines_go_to_the_full_program(args: list[str]) -> None:
    assert fast(args, {"COLUMNS": "80"}) is None


def test_fish_help_texts_lose_whitespace_as_with_typers_regex() -> None:
    """`fish_item` replaces what `re.sub(r"\\s", " ", ...)` replaces, without importing re."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {char for char in everything if char.isspace()} == set(re.findall(r"\s", everything))
    assert entry.fish_item("--x", "a\tb\u00a0c\nd") == "--x\ta b c d"


def test_a_text_only_utf_8_can_carry_goes_to_the_full_program(monkeypatch: pytest.MonkeyPatch) -> None:
    """Click's echo writes UTF-8 to a stream set up for ASCII; a plain write would fail."""
    called: list[bool] = []

    def full_program() -> None:
        called.append(True)
        raise SystemExit(0)

    monkeypatch.setattr("mentorkit.cli.main", full_program)
    monkeypatch.setitem(snapshot.HELP, ("followups",), "Usage: mentorkit followups … \n")
    monkeypatch.setattr(sys, "argv", ["mentorkit", "followups", "--help"])
    monkeypatch.setenv("COLUMNS", "80")
    for encoding, expected in (("ascii", [True]), ("utf-8", [])):
        called.clear()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding=encoding))
        with pytest.raises(SystemExit):
            entry.main()
        assert called == expected, encoding


# ---- whole processes ---------------------------------------------------------------------------


def run_process(argv: list[str], env: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Answer:
    environ = {name: value for name, value in {**os.environ, **(env or {})}.items() if name not in drop}
    done = subprocess.run(argv, env=environ, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def imports(argv: list[str], env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The top-level modules a real process imports (Python's import profile), and its stdout."""
    done = subprocess.run(
        argv,
        env={**os.environ, **(env or {}), "PYTHONPROFILEIMPORTTIME": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line.split("|")[-1] for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.strip().split(".")[0] for line in lines}, done.stdout


BASH = {entry.COMPLETE_VAR: "complete_bash", "COMP_WORDS": "mentorkit fo", "COMP_CWORD": "1"}
ZSH = {entry.COMPLETE_VAR: "complete_zsh", "_TYPER_COMPLETE_ARGS": "mentorkit followups --"}


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        ([str(SCRIPT), "--help"], {}),
        ([str(SCRIPT), "followup", "add", "-h"], {}),
        ([sys.executable, "-m", "mentorkit", "--help"], {}),
        ([str(SCRIPT)], BASH),
        ([str(SCRIPT)], ZSH),
        ([str(SCRIPT), "--version"], {}),
    ],
    ids=["help", "command-help", "python-m", "bash", "zsh", "version"],
)
def test_the_fast_paths_import_no_typer_and_answer_as_the_full_program(argv: list[str], env: dict[str, str]) -> None:
    modules, out = imports(argv, env)
    assert "mentorkit" in modules
    assert [name for name in NOT_ON_FAST_PATHS if name in modules] == []
    args = argv[3:] if argv[0] == sys.executable else argv[1:]  # after `python -m mentorkit` or the script
    assert out == run_process([*FULL_PROGRAM, *args], env)[1]


def test_what_the_snapshot_cannot_answer_runs_the_full_program() -> None:
    env = {entry.COMPLETE_VAR: "complete_bash", "COMP_WORDS": "mentorkit followup add R", "COMP_CWORD": "3"}
    modules, _ = imports([str(SCRIPT)], env)
    assert "typer" in modules
    assert run_process([str(SCRIPT)], env) == run_process(FULL_PROGRAM, env)
    assert run_process([str(SCRIPT), "--db"], {}) == run_process([*FULL_PROGRAM, "--db"], {})


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["--version"], ["followups", "--help"]])
@pytest.mark.parametrize("columns", ["80", None], ids=["COLUMNS=80", "no-terminal"])
def test_exit_status_and_streams_are_the_full_programs(args: list[str], columns: str | None) -> None:
    env, drop = ({"COLUMNS": columns}, ()) if columns else ({}, ("COLUMNS",))
    answer = run_process([str(SCRIPT), *args], env, drop)
    assert answer == run_process([*FULL_PROGRAM, *args], env, drop)
    assert answer[0] == (2 if not args else 0) and "mentorkit" in answer[1] + answer[2]


def test_a_reader_that_went_away_gets_exit_1_as_from_the_full_program() -> None:
    """`mentorkit --help | head -0`: no traceback, exit 1, as Click does."""

    def closed_pipe(argv: list[str]) -> tuple[int, bytes]:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # before the interpreter has started, let alone written
        err = process.stderr.read()
        return process.wait(timeout=60), err

    assert closed_pipe([str(SCRIPT), "--help"]) == closed_pipe([*FULL_PROGRAM, "--help"]) == (1, b"")
