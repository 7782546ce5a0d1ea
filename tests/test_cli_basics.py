"""The command line as a whole: light imports, --version, exit codes, and the internal-error report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mentorkit import __version__
from mentorkit.errors import EXIT_INTERNAL, REPORTING

HEAVY = ("sqlalchemy", "sqlmodel", "jinja2")
CANARY = "canary-5b1e: she is leaving her husband"

# Runs the real CLI entry point in a fresh interpreter, then reports which modules got imported.
_PROBE = textwrap.dedent(
    """
    import json, sys
    argvs = json.loads(sys.argv[1])
    from mentorkit.cli import main
    codes = []
    for argv in argvs:
        sys.argv = ["mentorkit", *argv]
        try:
            main()
            codes.append(0)
        except SystemExit as stop:
            codes.append(stop.code or 0)
    loaded = sorted({name.split(".")[0] for name in sys.modules})
    sys.stderr.write("\\n@@" + json.dumps({"codes": codes, "modules": loaded}) + "\\n")
    """
)


def probe(*argvs: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(argvs))],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stderr.rsplit("\n@@", 1)[1])
    report["stdout"] = result.stdout
    return report


def all_command_paths() -> list[list[str]]:
    """Every command and subcommand, as argv prefixes (`["profile", "set"]`...)."""
    import typer.main

    from mentorkit.cli import app

    paths: list[list[str]] = []

    def walk(command: Any, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_help_and_version_import_nothing_heavy() -> None:
    report = probe(["--help"], ["--version"], ["-h"])
    assert report["codes"] == [0, 0, 0]
    assert "Usage" in report["stdout"] and "add-mentor" in report["stdout"]
    assert f"mentorkit {__version__}" in report["stdout"]
    assert not set(HEAVY) & set(report["modules"]), report["modules"]


def test_no_command_help_imports_anything_heavy() -> None:
    paths = all_command_paths()
    assert ["add-mentor"] in paths and ["board"] in paths and len(paths) >= 10
    report = probe(*[[*path, "--help"] for path in paths])
    assert report["codes"] == [0] * len(paths)
    assert not set(HEAVY) & set(report["modules"]), report["modules"]


def test_everyday_commands_do_not_import_sqlalchemy(tmp_path: Path) -> None:
    """The data layer on command paths is stdlib sqlite3; sqlmodel costs ~300 ms to import.

    (pydantic is not checked: typer itself imports it to convert typed arguments.)
    """
    store = str(tmp_path / "everyday.db")
    report = probe(
        ["--db", store, "add-mentor", "Rosa Martínez", "--arena", "research"],
        ["--db", store, "mentors", "--json"],
        ["--db", store, "board", "--json"],
        ["--db", store, "log", "Rosa", "--notes", "aims page"],
        ["--db", store, "show", "Rosa", "--json"],
        ["--db", store, "followups", "--json"],
    )
    assert report["codes"] == [0] * 6
    assert not {"sqlalchemy", "sqlmodel"} & set(report["modules"])


def test_the_console_script_and_python_m_report_the_version() -> None:
    script = Path(sys.executable).with_name("mentorkit")
    for command in ([str(script), "--version"], [sys.executable, "-m", "mentorkit", "--version"]):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"mentorkit {__version__}"


# --- exit codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("no-such-command",),
        ("mentors", "--no-such-option"),
        ("add-mentor",),  # the NAME argument is missing
        ("log", "Rosa", "--minutes", "forty"),
        ("--db",),
    ],
)
def test_usage_errors_exit_2(cli: Callable[..., Any], args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert "Usage" in result.stderr or "Error" in result.stderr
    assert result.stdout == ""


def test_a_problem_the_user_can_fix_exits_1_with_one_line(cli: Callable[..., Any]) -> None:
    result = cli("show", "Nobody At All")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


# --- unexpected internal errors -------------------------------------------------------------


def _boom(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError(f"unexpected state while reading notes: {CANARY}")


def test_an_internal_error_is_short_private_and_exits_70(
    cli: Callable[..., Any], ok: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("add-mentor", "Rosa Martínez", "--note", CANARY)
    monkeypatch.setattr("mentorkit.domain.mentors.list_mentors", _boom)

    result = cli("mentors")

    assert result.exit_code == EXIT_INTERNAL == 70
    assert CANARY not in result.stderr and CANARY not in result.stdout
    assert "canary" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "internal error (RuntimeError)" in lines[0]
    assert REPORTING in lines[0] and "MENTORKIT_DEBUG=1" in lines[0]
    assert "Traceback" not in result.stderr


def test_an_internal_error_during_a_write_saves_nothing(cli: Callable[..., Any], ok: Callable[..., Any]) -> None:
    # A private MonkeyPatch: undoing the test's own would also undo the isolated store paths.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("mentorkit.domain.mentors._link", _boom)  # runs after the INSERT
        result = cli("add-mentor", "Rosa Martínez", "--note", CANARY, "--arena", "research")
    assert result.exit_code == 70
    assert "nothing was saved" in result.stderr and CANARY not in result.stderr
    assert "there is no store" in cli("mentors", "--json").stderr  # the run that made it took it away
    ok("add-mentor", "Henri Dubois")
    with pytest.MonkeyPatch.context() as patch:  # and in a store that was there, nothing is saved
        patch.setattr("mentorkit.domain.mentors._link", _boom)
        assert cli("add-mentor", "Rosa Martínez", "--arena", "research").exit_code == 70
    assert [m["name"] for m in ok("mentors", "--json").json()] == ["Henri Dubois"]


def test_an_internal_error_after_the_write_says_the_change_was_saved(
    cli: Callable[..., Any], ok: Callable[..., Any]
) -> None:
    ok("add-mentor", "Rosa Martínez")
    with pytest.MonkeyPatch.context() as patch:  # the item is added; printing it fails
        patch.setattr("mentorkit.cli.followups.emit_json", _boom)
        result = cli("followup", "add", "Rosa", "Send the draft", "--json")
    assert result.exit_code == 70
    line = result.stderr.strip()
    assert "internal error (RuntimeError) after saving the change" in line and "nothing was saved" not in line
    assert "mentorkit undo" in line and CANARY not in line
    assert [f["what"] for f in ok("followups", "--all", "--json").json()] == ["Send the draft (#1)"]


def test_an_internal_error_in_a_real_process_prints_no_traceback(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import mentorkit.domain.mentors as mentors

        def boom(*args, **kwargs):
            secret = {CANARY!r}
            raise RuntimeError("while reading notes: " + secret)

        mentors.list_mentors = boom
        from mentorkit.store.db import open_store
        open_store({str(tmp_path / "s.db")!r}).close()
        sys.argv = ["mentorkit", "--db", {str(tmp_path / "s.db")!r}, "mentors", "--json"]
        from mentorkit.cli import main
        main()
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "MENTORKIT_DEBUG"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 70
    assert CANARY not in done.stderr and CANARY not in done.stdout
    assert "Traceback" not in done.stderr and "secret" not in done.stderr
    assert done.stdout == ""
    assert REPORTING in done.stderr


def test_mentorkit_debug_shows_the_traceback(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, empty_store: Path
) -> None:
    monkeypatch.setenv("MENTORKIT_DEBUG", "1")
    monkeypatch.setattr("mentorkit.domain.mentors.list_mentors", _boom)
    with pytest.raises(RuntimeError, match="unexpected state"):
        cli("mentors")


@pytest.mark.parametrize("args", [["review", "--json"], ["export", "--format", "json"], ["--help"], ["followups"]])
def test_a_reader_that_left_the_pipe_ends_the_command_quietly(args: list[str], tmp_path: Path) -> None:
    """`mentorkit ... | head`: stdout's reader is gone before the first write. Exit 1 (as Click
    does), and nothing on stderr: no traceback, no error line."""
    store = tmp_path / "m.db"
    env = {**os.environ, "MENTORKIT_DB": str(store), "COLUMNS": "100"}
    subprocess.run([sys.executable, "-m", "mentorkit", "demo"], env=env, capture_output=True, check=True)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "mentorkit", *args],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (run.returncode, run.stderr) == (1, "")


@pytest.mark.parametrize("args", [["restore", "~0"], ["--db", "~no-such-user-0/x.db", "mentors"]])
def test_a_tilde_path_of_no_known_user_is_bad_input(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "mentorkit", *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: a path on the command line starts with ~") and done.stderr.count("\n") == 1
