"""Run a list of mentorkit commands in one process, through the real CLI entry point.

Usage: python reliability_worker.py PLAN.json  (a JSON list of argument lists)

Prints `ready` once mentorkit is imported, then `ack I` after command I exits 0 or `fail I CODE`
after it exits otherwise, flushing each line, and `done` at the end. Each command opens and
closes the store itself, exactly as a separate `mentorkit` process would; running them in one
process only saves the interpreter start-up and Typer's building of the command tree, so hundreds of writes fit in a few seconds. The
commands' own stdout is discarded; their stderr goes to this process's stderr.
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
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for index, args in enumerate(commands):
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                command.main(args=args, prog_name="mentorkit")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out.write(f"ack {index}\n" if code == 0 else f"fail {index} {code}\n")
        out.flush()
    out.write("done\n")
    out.flush()


if __name__ == "__main__":
    main()
