"""Run a list of mentorkit commands in one process, through the real CLI entry point.

Usage: python reliability_worker.py PLAN.json [RESULTS.json]
(PLAN.json: a JSON list of argument lists)

Prints `ready` once mentorkit is imported, then `ack I` after command I exits 0 or `fail I CODE`
after it exits otherwise, flushing each line, and `done` at the end. Each command opens and
closes the store itself, exactly as a separate `mentorkit` process would; running them in one
process only saves the interpreter start-up and Typer's building of the command tree, so
hundreds of writes fit in a few seconds.

Without RESULTS.json the commands' stdout is discarded and their stderr goes to this process's
stderr. With it, each command's exit status, stdout and stderr are written there at the end.

Two hooks let a test synchronise with the worker instead of guessing times:
- `WORKER_HOLD=1`: after `ready`, wait for a line on stdin before the first command (two
  workers released together really run at once, however long each took to start).
- `WORKER_STOP_AT=N`: stop this process (SIGSTOP) just before the N-th SQL statement run inside
  a write transaction (between BEGIN IMMEDIATE and COMMIT), so a test can SIGKILL it exactly
  mid-write. Before `done` the worker prints `write-statements K`, how many such statements
  its commands ran.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any


def watch_writes(stop_at: int | None) -> list[int]:
    """Count the statements each connection runs inside a write transaction (a one-item list,
    updated in place); stop the process before statement `stop_at`."""
    seen = [0]
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        writing = [False]

        def trace(sql: str) -> None:
            head = sql.lstrip().upper()
            if head.startswith("BEGIN IMMEDIATE"):
                writing[0] = True
            elif head.startswith(("COMMIT", "ROLLBACK")):
                writing[0] = False
            elif writing[0]:
                seen[0] += 1
                if seen[0] == stop_at:
                    os.kill(os.getpid(), signal.SIGSTOP)

        conn.set_trace_callback(trace)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]
    return seen


def main() -> None:
    import typer

    from mentorkit.cli import app

    stop_at = os.environ.get("WORKER_STOP_AT")
    write_statements = watch_writes(int(stop_at) if stop_at else None)
    command = typer.main.get_command(app)  # built once, as one `mentorkit` process does
    commands = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    results_path = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    results = []
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    if os.environ.get("WORKER_HOLD"):
        sys.stdin.readline()
    for index, args in enumerate(commands):
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(stdout), contextlib.ExitStack() as stack:
                if results_path is not None:
                    stack.enter_context(contextlib.redirect_stderr(stderr))
                command.main(args=args, prog_name="mentorkit")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        results.append({"code": code, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()})
        out.write(f"ack {index}\n" if code == 0 else f"fail {index} {code}\n")
        out.flush()
    if results_path is not None:
        results_path.write_text(json.dumps(results), encoding="utf-8")
    out.write(f"write-statements {write_statements[0]}\ndone\n")
    out.flush()


if __name__ == "__main__":
    main()
