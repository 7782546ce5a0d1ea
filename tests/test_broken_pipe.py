"""`mentorkit ... | head`: a reader that leaves before the output is written ends the command
quietly (exit 1, nothing on stderr), however much output was still in the buffer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

# stdout as a pipe whose reader has left by the time the buffer is written out: the first flush
# fails as a real one would (the output was small enough to wait in the buffer until then).
LEFT_READER = textwrap.dedent(
    """
    import io, sys

    class LeftReader(io.TextIOWrapper):
        failed = False

        def flush(self):
            if not LeftReader.failed:
                LeftReader.failed = True
                raise BrokenPipeError(32, "Broken pipe")
            super().flush()

    sys.stdout = LeftReader(io.BufferedWriter(io.FileIO(sys.stdout.fileno(), "w", closefd=False)), encoding="utf-8")
    sys.argv = ["mentorkit", *sys.argv[1:]]
    from mentorkit.cli import main
    main()
    """
)


@pytest.mark.parametrize("args", [["review", "--json"], ["mentors", "--json"], ["profile", "show"], ["followups"]])
def test_output_still_buffered_when_the_reader_left_ends_quietly(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "MENTORKIT_DB": str(tmp_path / "m.db"), "COLUMNS": "100"}
    subprocess.run([sys.executable, "-m", "mentorkit", "demo"], env=env, capture_output=True, check=True)
    run = subprocess.run(
        [sys.executable, "-c", LEFT_READER, *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert (run.returncode, run.stderr) == (1, "")


def _closed_stdout(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`mentorkit ARGS >&-`: started with stdout closed (Python then sets sys.stdout to None)."""
    return subprocess.run(
        ["/bin/sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "mentorkit", *args],
        env=env,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("args", [["followups"], ["remind"], ["remind", "--json"], ["config", "path"], ["board"]])
def test_a_closed_stdout_is_one_line_and_exit_1(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "MENTORKIT_DB": str(tmp_path / "m.db"), "COLUMNS": "100"}
    subprocess.run([sys.executable, "-m", "mentorkit", "demo"], env=env, capture_output=True, check=True)
    run = _closed_stdout(args, env)
    assert (run.returncode, run.stderr) == (1, "Error: cannot write the output: stdout is closed\n")


def test_a_closed_stdout_with_nothing_to_print_is_exit_0(tmp_path: Path) -> None:
    env = {**os.environ, "MENTORKIT_DB": str(tmp_path / "m.db")}
    subprocess.run(
        [sys.executable, "-m", "mentorkit", "profile", "set", "--name", "Maya"],
        env=env,
        check=True,
        capture_output=True,
    )
    run = _closed_stdout(["remind"], env)  # nothing is due: remind prints nothing
    assert (run.returncode, run.stderr) == (0, "")
