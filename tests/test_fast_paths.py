"""`mentorkit --help` and Tab completion, as a person meets them, from the real program.

Both are answered by Typer itself through the lazy root group (cli/lazy.py): the root lists
commands from stand-ins without building them, and a command is built only when it is asked
for. These tests check what the shells receive; their speed is measured by benchmarks/run.py
(docs/performance.md).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentorkit import __version__
from mentorkit.cli import main
from mentorkit.cli.lazy import catalogue

SCRIPT = Path(sys.executable).with_name("mentorkit")
COMPLETE_VAR = "_MENTORKIT_COMPLETE"
COMPLETION_NAMES = (COMPLETE_VAR, "COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS", "_TYPER_COMPLETE_FISH_ACTION")

Answer = tuple[int, str, str]


@contextlib.contextmanager
def environment(env: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.pop(name, None) for name in {*COMPLETION_NAMES, "COLUMNS", *env}}
    os.environ.update(env)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


def run(args: list[str], env: dict[str, str] | None = None) -> Answer:
    """The real program in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    saved_argv = sys.argv
    sys.argv = ["mentorkit", *args]
    try:
        with environment(env or {}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
    finally:
        sys.argv = saved_argv
    return code, out.getvalue(), err.getvalue()


def complete(shell: str, line: str, action: str = "get-args") -> Answer:
    """What the shell's completion script gets for the command line `line` (cursor at its end)."""
    if shell == "bash":
        words = line.split()
        cword = len(words) if line.endswith(" ") else len(words) - 1
        return run([], {COMPLETE_VAR: "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword)})
    env = {COMPLETE_VAR: f"complete_{shell}", "_TYPER_COMPLETE_ARGS": line}
    if shell == "fish":
        env["_TYPER_COMPLETE_FISH_ACTION"] = action
    return run([], env)


def values(shell: str, answer: Answer) -> list[str]:
    """The candidate values in a shell's answer."""
    code, out, _ = answer
    assert code == 0
    if shell == "bash":
        return out.split()
    if shell == "fish":
        return [line.split("\t")[0] for line in out.splitlines() if line]
    if out.strip() == "_files":
        return []
    body = out[out.index("((") + 2 : out.rindex("))")]
    return [line.split('":"')[0].strip('"') for line in body.splitlines()]


# ---- help ------------------------------------------------------------------------------------


def test_root_help_lists_every_command_once_with_its_help() -> None:
    code, out, err = run(["--help"], {"COLUMNS": "100"})
    assert code == 0 and not err
    listed = out[out.index("Commands:") :].splitlines()[1:]
    names = [line.split()[0] for line in listed if line.startswith("  ")]
    assert names == list(catalogue()) and len(names) > 30
    assert any(line.split()[1:3] == ["What", "needs"] for line in listed if line.split()[0] == "followups")


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_every_command_has_help(option: str) -> None:
    for name in catalogue():
        code, out, err = run([name, option], {"COLUMNS": "80"})
        assert code == 0 and not err, name
        assert out.startswith(f"Usage: mentorkit {name} "), name
        assert "[[" not in out and all(len(line) <= 80 for line in out.splitlines()), name


def test_optional_arguments_show_one_pair_of_brackets() -> None:
    assert run(["backup", "--help"])[1].startswith("Usage: mentorkit backup [OPTIONS] [PATH]\n")


def test_no_arguments_prints_the_help_on_stderr_with_status_2() -> None:
    code, out, err = run([])
    assert (code, out) == (2, "") and err.startswith("Usage: mentorkit [OPTIONS] COMMAND [ARGS]...")


def test_a_narrow_terminal_gets_help_wrapped_to_it() -> None:
    narrow = run(["followups", "--help"], {"COLUMNS": "50"})[1]
    wide = run(["followups", "--help"], {"COLUMNS": "100"})[1]
    assert max(map(len, narrow.splitlines())) <= 50 < max(map(len, wide.splitlines()))


def test_the_console_script_and_python_m_give_the_same_help_and_version() -> None:
    for args in (["--help"], ["--version"]):
        script = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=60)
        module = subprocess.run([sys.executable, "-m", "mentorkit", *args], capture_output=True, text=True, timeout=60)
        assert script.returncode == module.returncode == 0
        assert script.stdout == module.stdout
    assert script.stdout == f"mentorkit {__version__}\n"


def test_a_reader_that_went_away_gets_exit_1_and_no_traceback() -> None:
    """`mentorkit --help | head -0`: no traceback, exit 1, as Click does."""
    process = subprocess.Popen([str(SCRIPT), "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the interpreter has started, let alone written
    err = process.stderr.read()
    assert (process.wait(timeout=60), err) == (1, b"")


# ---- completion ------------------------------------------------------------------------------

SHELLS = ("bash", "zsh", "fish")


@pytest.mark.parametrize("shell", SHELLS)
def test_command_names_complete_from_their_start(shell: str) -> None:
    assert sorted(values(shell, complete(shell, "mentorkit fo"))) == ["followup", "followups"]
    assert sorted(values(shell, complete(shell, "mentorkit me"))) == ["meetings", "mentors", "merge"]
    assert values(shell, complete(shell, "mentorkit zz")) == []
    everything = values(shell, complete(shell, "mentorkit "))
    assert set(everything) == set(catalogue())


@pytest.mark.parametrize("shell", SHELLS)
def test_subcommands_and_options_complete(shell: str) -> None:
    assert sorted(values(shell, complete(shell, "mentorkit followup "))) == [
        "add",
        "delete",
        "done",
        "drop",
        "edit",
        "reopen",
        "snooze",
    ]
    options = values(shell, complete(shell, "mentorkit followups --"))
    assert {"--all", "--mentor", "--within", "--json", "--help"} <= set(options)
    assert values(shell, complete(shell, "mentorkit followups --wi")) == ["--within"]
    assert {"--db", "--version", "--help"} <= set(values(shell, complete(shell, "mentorkit --")))


def test_zsh_and_fish_show_each_candidates_help() -> None:
    zsh = complete("zsh", "mentorkit followups --wi")[1]
    assert zsh == '_arguments \'*: :(("--within":"Items due within this many days (default 7)."))\'\n'
    fish = complete("fish", "mentorkit followups --wi")[1]
    assert fish == "--within\tItems due within this many days (default 7).\n"


@pytest.mark.parametrize(
    ("line", "expected"), [("mentorkit fo", 0), ("mentorkit followups --j", 0), ("mentorkit zz", 1)]
)
def test_fish_asks_whether_there_are_candidates(line: str, expected: int) -> None:
    assert complete("fish", line, action="is-args") == (expected, "", "")


def test_completion_builds_only_the_command_on_the_line() -> None:
    import typer

    from mentorkit.cli import app

    group = typer.main.get_command(app)
    ctx = group.make_context("mentorkit", ["followup"], resilient_parsing=True)
    names = [item.value for item in group.shell_complete(ctx, "fo")]
    assert sorted(names) == ["followup", "followups"]
    assert group.lazy.built == {}  # type: ignore[attr-defined]
    group.get_command(ctx, "followup")
    assert list(group.lazy.built) == ["followup"]  # type: ignore[attr-defined]


def test_completion_reads_no_store_and_imports_no_heavy_library() -> None:
    done = subprocess.run(
        [str(SCRIPT)],
        env={
            **os.environ,
            COMPLETE_VAR: "complete_bash",
            "COMP_WORDS": "mentorkit followups --",
            "COMP_CWORD": "2",
            "MENTORKIT_DB": "/nonexistent/dir/store.db",
            "PYTHONPROFILEIMPORTTIME": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "--within" in done.stdout
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    roots = {name.split(".")[0] for name in modules}
    assert not roots & {"sqlite3", "pydantic", "rich", "jinja2", "sqlalchemy", "sqlmodel", "platformdirs"}


# ---- zsh and fish without Rich (cli/completion.py) answer as Typer's own completion ----------


def command_lines() -> list[str]:
    """Command lines a person may have typed when pressing Tab: every command and subcommand
    path, followed by nothing, a dash or two, the start of a name, a miss, an argument's or an
    option's value, quotes."""
    import typer

    from mentorkit.cli import app

    group = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = [()]
    for name in catalogue():
        paths.append((name,))
        sub = group.commands[name]  # type: ignore[attr-defined]
        paths += [(name, child) for child in getattr(sub, "commands", {})]
    lines = []
    for path in paths:
        prefix = " ".join(["mentorkit", *path])
        for typed in ("", "-", "--", "--j", "--no-such", "x", "a", "f", "m", "s", "'fo", '"a b'):
            lines.append(f"{prefix} {typed}")
    return [
        *lines,
        "mentorkit",
        "mentorkit --db ",
        "mentorkit --db x fo",
        "mentorkit show R",
        "mentorkit followups --within ",
        "mentorkit no-such ",
        "mentorkit\tfollowup\n",
    ]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_answers_are_typers_own(shell: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the answer of cli/completion.py switched off, Typer answers itself (through Rich);
    both must give the same bytes and exit status for every line."""
    lines = command_lines()
    keys = [(line, "get-args") for line in lines]
    if shell == "fish":  # fish's other two questions, on the root and top-level command lines
        keys += [(line, action) for line in lines if line.count(" ") <= 2 for action in ("is-args", "")]
    ours = {(line, action): complete(shell, line, action) for line, action in keys}
    monkeypatch.setattr("mentorkit.cli.lazy.SHELLS", ())
    typers = {(line, action): complete(shell, line, action) for line, action in keys}
    assert len(ours) > 300
    assert sum(1 for code, out, _ in ours.values() if code == 0 and out.strip() not in ("", "_files")) > 100
    assert {key: unwrapped(shell, answer) for key, answer in typers.items()} == ours
    wrapped = typers[("mentorkit add-mentor --", "get-args")][1]
    assert wrapped != ours[("mentorkit add-mentor --", "get-args")][1]  # Rich wraps long help at 80 columns


def unwrapped(shell: str, answer: Answer) -> Answer:
    """Typer's answer without the line breaks Rich puts into help texts longer than 80 columns
    (which split a candidate over two lines; cli/completion.py keeps one candidate a line)."""
    code, out, err = answer
    if shell == "zsh":
        out = re.sub(r'":"((?:[^"]|"")*)"', lambda m: '":"' + rejoin(m.group(1)) + '"', out)
    else:
        lines: list[str] = []
        for line in out.split("\n"):
            if lines and lines[-1] and line and "\t" not in line:
                lines[-1] = rejoin(lines[-1] + "\n" + line)
            else:
                lines.append(line)
        out = "\n".join(lines)
    return code, out, err


def rejoin(text: str) -> str:
    """A text Rich wrapped, on one line again (Rich keeps the space at a break, or drops it)."""
    return re.sub(r"(?<! )\n", " ", text).replace("\n", "")


def test_fish_help_texts_lose_whitespace_as_with_typers_regex() -> None:
    """`fish_line` replaces what `re.sub(r"\\s", " ", ...)` replaces (as Typer does)."""
    from mentorkit.cli.completion import fish_line

    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    assert {char for char in everything if char.isspace()} == set(re.findall(r"\s", everything))
    assert fish_line("--x", "a\tb\u00a0c\nd") == "--x\ta b c d"
