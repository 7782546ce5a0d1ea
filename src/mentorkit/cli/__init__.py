"""The command line: a thin layer that parses arguments, calls the domain and renders.

The one error boundary lives in `MentorkitGroup.invoke`: a `MentorkitError` becomes one line on
stderr and exit status 1; anything unexpected becomes a short report without note text or
local variables (exit 70). Set MENTORKIT_DEBUG=1 to see the traceback instead.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mentorkit.entry import version_line
from mentorkit.errors import EXIT_ERROR, EXIT_INTERNAL, ISSUES_URL, MentorkitError


def _fail(message: str, code: int) -> None:
    """One line, safe for a terminal: control characters (a newline or an escape sequence in a
    file name the user typed) and undecodable bytes are shown as escapes (`cli.text.printable`)."""
    from mentorkit.cli.text import printable

    sys.stderr.write(f"Error: {printable(message)}\n")
    raise typer.Exit(code)


class MentorkitGroup(TyperGroup):
    """The root group: the one error boundary, and subcommands built only when used (cli/lazy.py)."""

    def __init__(self, **attrs: Any) -> None:
        from mentorkit.cli.lazy import LazyCommands, plain_completion

        super().__init__(**attrs)
        plain_completion()
        self.commands = self.lazy = LazyCommands(
            commands,
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode,
            suggest_commands=self.suggest_commands,
        )

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from mentorkit.cli.lazy import speed_up_params

        speed_up_params(self, ctx)  # the root options, including the two Typer adds for completion
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: Any, args: list[str]) -> tuple[str | None, Any, list[str]]:
        from mentorkit.cli.lazy import speed_up_params

        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            speed_up_params(command, ctx)
        return name, command, rest

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names in the order of registration, nothing built

    def _summaries(self, ctx: Any, prefix: str = "") -> list[tuple[str, Any]]:
        """Visible subcommands with their help texts, without building them."""
        listed = [(name, self.lazy.summary(name)) for name in self.list_commands(ctx) if name.startswith(prefix)]
        return [(name, command) for name, command in listed if not command.hidden]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = self._summaries(ctx)
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        from typer._click.shell_completion import CompletionItem

        results = [
            CompletionItem(name, help=command.get_short_help_str())
            for name, command in self._summaries(ctx, incomplete)
        ]
        results.extend(super(TyperGroup, self).shell_complete(ctx, incomplete))
        return results

    def invoke(self, ctx: Any) -> Any:
        import sqlite3

        try:
            return super().invoke(ctx)
        except MentorkitError as exc:
            _fail(str(exc), EXIT_ERROR)
        except sqlite3.Error as exc:
            from mentorkit.cli.common import state
            from mentorkit.store.db import describe_sqlite_error, resolve_db_path

            _fail(str(describe_sqlite_error(exc, resolve_db_path(state(ctx).db))), EXIT_ERROR)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # `mentorkit ... | head`: the reader left; stop quietly, exit 1 as Click does
            from mentorkit.entry import silence_stdout

            silence_stdout()
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as exc:
            if isinstance(exc, _click_exceptions()) or os.environ.get("MENTORKIT_DEBUG"):
                raise
            if (message := _input_problem(exc)) is not None:
                _fail(message, EXIT_ERROR)
            _fail(
                f"mentorkit hit an internal error ({type(exc).__name__}); nothing was saved. "
                f"Please report it at {ISSUES_URL} (run with MENTORKIT_DEBUG=1 for details)",
                EXIT_INTERNAL,
            )


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
    if isinstance(exc, ValueError) and "null byte" in str(exc):  # os functions refuse NUL in paths
        return "a path on the command line holds a NUL byte; remove it and try again"
    if isinstance(exc, OSError):
        name = str(exc.filename) if exc.filename is not None else ""
        where = f" {name[:120]}{'…' if len(name) > 120 else ''}" if name else ""
        if not where:  # writing to stdout or stderr, say, redirected to a full disk
            return f"cannot write the output: {exc.strerror or type(exc).__name__}"
        return f"cannot use{where}: {exc.strerror or type(exc).__name__}; check the path and try again"
    return None


def _click_exceptions() -> tuple[type[BaseException], ...]:
    from typer._click import exceptions

    return (exceptions.ClickException,)


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
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="MENTORKIT_DB",
            metavar="PATH",
            help="The store file (default: mentorkit.db in your user data directory).",
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


commands = typer.Typer()
"""The catalogue every CLI module registers its commands into; the root group builds from it."""


def _register() -> None:
    from mentorkit.cli import board, data, demo, drafting, meetings, mentors, profile, relationships

    for module in (profile, mentors, meetings, relationships, drafting, board, data, demo):
        module.register(commands)


_register()


def main() -> None:
    """The full program. The `mentorkit` command starts in `mentorkit.entry.main`, which answers
    `--help` and Tab completion itself and calls this for everything else."""
    app(prog_name="mentorkit")
