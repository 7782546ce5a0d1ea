"""The command line: a thin layer that parses arguments, calls the domain and renders.

The one error boundary lives in `MentorkitGroup.invoke`: a `MentorkitError` becomes one line on
stderr and exit status 1; anything unexpected becomes a short report without note text or
local variables (exit 70). Set MENTORKIT_DEBUG=1 to see the traceback instead.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from typing import Annotated, Any

import typer

from mentorkit import __version__
from mentorkit.cli.lazy import LazyGroup
from mentorkit.errors import EXIT_ERROR, EXIT_INTERNAL, REPORTING, MentorkitError


def _fail(message: str, code: int) -> None:
    """One line, safe for a terminal: control characters (a newline or an escape sequence in a
    file name the user typed) and undecodable bytes are shown as escapes (`cli.text.printable`)."""
    from mentorkit.cli.text import printable

    sys.stderr.write(f"Error: {printable(message)}\n")
    raise typer.Exit(code)


class MentorkitGroup(LazyGroup):
    """The root group: the one error boundary, and subcommands built only when used (cli/lazy.py)."""

    def invoke(self, ctx: Any) -> Any:
        import sqlite3

        try:
            return self._invoke_and_flush(ctx)
        except MentorkitError as exc:
            _fail(str(exc), EXIT_ERROR)
        except sqlite3.Error as exc:
            from mentorkit.cli.common import state
            from mentorkit.store.db import describe_sqlite_error, resolve_db_path

            _fail(str(describe_sqlite_error(exc, resolve_db_path(state(ctx).db))), EXIT_ERROR)
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise  # Typer's and Click's own (a usage error exits 2 with Click's message)
        except BrokenPipeError:  # `mentorkit ... | head`: the reader left; stop quietly, exit 1 as Click does
            from mentorkit.cli.common import silence_stdout

            silence_stdout()
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as exc:
            if os.environ.get("MENTORKIT_DEBUG"):
                raise
            if (message := _input_problem(exc)) is not None:
                _fail(message, EXIT_ERROR)
            from mentorkit.cli.common import state

            outcome = (
                " after saving the change (`mentorkit history` shows it, `mentorkit undo` takes it back)"
                if state(ctx).saved
                else "; nothing was saved"
            )
            _fail(
                f"mentorkit hit an internal error ({type(exc).__name__}){outcome}. "
                f"To report it, {REPORTING} (run again with MENTORKIT_DEBUG=1 for the details)",
                EXIT_INTERNAL,
            )

    def _invoke_and_flush(self, ctx: Any) -> Any:
        """Run the command, then write out what it left buffered for stdout, here inside the
        boundary: a reader that has left (`mentorkit review --json | head -1` with less output
        than the buffer holds) is met as BrokenPipeError below, not at interpreter exit, where
        it would end in exit status 120 and "Exception ignored ... Broken pipe"."""
        try:
            result = super().invoke(ctx)
        except typer.Exit:
            sys.stdout.flush()
            raise
        sys.stdout.flush()
        return result


def _input_problem(exc: Exception) -> str | None:
    """The one line for errors that only the user's input or machine can cause, else None.

    These arise deep in the standard library (SQLite binding a 30-digit id, `timedelta` of a
    date 10**9 days away, text with bytes a shell passed undecoded, a path too long for the
    file system), so they are named here once instead of at every place a value is used.
    Any write in progress was rolled back by `writing()` before the error got here.
    """
    if isinstance(exc, OverflowError):
        return "a number or date on the command line is too large; give a smaller one"
    if isinstance(exc, UnicodeEncodeError) and "surrogates" in exc.reason:
        return (
            "the command line holds bytes that are not valid UTF-8 (check the terminal's encoding, "
            "or the file name); nothing was written"
        )
    if isinstance(exc, RuntimeError) and "home directory" in str(exc):  # `~nosuchuser/x`: Path.expanduser
        return "a path on the command line starts with ~ but no such user's home is known; give the full path"
    # os functions refuse NUL in paths: "embedded null byte" (3.11), "lstat: embedded null character in path" (3.13)
    if isinstance(exc, ValueError) and "embedded null" in str(exc):
        return "a path on the command line holds a NUL byte; remove it and try again"
    if isinstance(exc, OSError):
        name = str(exc.filename) if exc.filename is not None else ""
        where = f" {name[:120]}{'…' if len(name) > 120 else ''}" if name else ""
        if not where:  # writing to stdout or stderr, say, redirected to a full disk
            return f"cannot write the output: {exc.strerror or type(exc).__name__}"
        return f"cannot use{where}: {exc.strerror or type(exc).__name__}; check the path and try again"
    return None


app = typer.Typer(
    cls=MentorkitGroup,
    name="mentorkit",
    help="Keep your personal board of directors: mentors, meetings and the follow-ups they need.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain Click help: Typer's Rich help costs more than a whole command
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentorkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="The store file (default: $MENTORKIT_DB, else mentorkit.db in your user data directory).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    from mentorkit.cli.common import State

    ctx.obj = State(db=db)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """The `mentorkit` command."""
    stand_in_for_closed_streams()
    replace_what_output_cannot_encode()
    app(prog_name="mentorkit")


class _ClosedOutput(io.TextIOBase):
    """What `sys.stdout` is while the command was started with stdout closed (`mentorkit remind >&-`,
    where Python sets it to None): writing nothing (a quiet `remind`) succeeds, so the command exits
    0; writing anything is an OSError, which the error boundary turns into "cannot write the
    output: stdout is closed" and exit 1, never an internal error."""

    encoding = "utf-8"
    errors = "strict"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            raise OSError(errno.EBADF, "stdout is closed")
        return 0

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "stdout is closed")


def stand_in_for_closed_streams() -> None:
    """A closed stdout gets `_ClosedOutput`; a closed stderr, /dev/null (there is nowhere to say
    anything, and the exit status still tells)."""
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - open for the process's life


def replace_what_output_cannot_encode() -> None:
    """On a stdout or stderr that is not UTF-8 (`PYTHONIOENCODING=ascii`, a latin-1 terminal), a
    character the encoding lacks is written as `?` instead of failing the whole command. Set once,
    here where output starts; `--json` escapes such characters instead (cli.common.emit_json)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
