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
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path


def main() -> None:
    import typer

    from mentorkit.cli import app

    command = typer.main.get_command(app)  # built once, as one `mentorkit` process does
    commands = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    results_path = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    results = []
    out = sys.stdout
    out.write("ready\n")
    out.flush()
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
    out.write("done\n")
    out.flush()


if __name__ == "__main__":
    main()
