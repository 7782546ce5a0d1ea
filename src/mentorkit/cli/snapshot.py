"""Write mentorkit/cli_snapshot.py, the help texts and completion candidates of the command line.

`mentorkit --help` and Tab completion are answered from that file by mentorkit/entry.py without
importing Typer (docs/architecture.md). Everything in it is taken from the Typer app itself: the
help is what the program prints, the candidates are what its completion lists. Run
`python -m mentorkit.cli.snapshot` after changing a command, an option or a help text;
tests/test_fast_paths.py fails until the file is current.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main
from typer._click.core import Command, Context
from typer._completion_classes import BashComplete
from typer.core import TyperArgument, TyperOption

from mentorkit.cli import app
from mentorkit.entry import COMPLETE_VAR, TYPER_TEST_SWITCH

TARGET = Path(__file__).resolve().parent.parent / "cli_snapshot.py"

HELP_COLUMNS = 80
"""Click wraps help at `min(columns, 80) - 2`: a terminal at least this wide gets the same text."""

HEADER = '''"""The help texts and completion candidates of the command line, for mentorkit/entry.py.

Generated from the Typer app by `python -m mentorkit.cli.snapshot`: do not edit.
"""

# fmt: off'''

CommandPath = tuple[str, ...]
Items = tuple[tuple[str, str | None], ...]


def main() -> None:
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")


def render() -> str:
    """The text of cli_snapshot.py for the app as it is now."""
    with _environment(), help_names_in_order():
        group = typer.main.get_command(app)
        paths = _command_paths(group)
        help_options = tuple(group.make_context("mentorkit", [], resilient_parsing=True).help_option_names)
        help_texts = {path: _help_text(group, path, help_options) for path in paths}
        no_args_exit, out, err = run_program(group, [])
        complete = BashComplete(group, {}, "mentorkit", COMPLETE_VAR)  # only its shell-neutral part is used
        takes_arguments = [path for path in paths if _takes_arguments(_command(group, path))]
        subcommands = {path: _items(complete, path, "") for path in paths if path not in takes_arguments}
        options = {path: _items(complete, path, "-") for path in paths}
    _check((out, err) == ("", help_texts[()]), "`mentorkit` alone no longer prints the help on stderr")
    for path in paths:
        commands = [name for name, _ in subcommands.get(path, ())]
        _check(not any(name.startswith("-") for name in commands), f"{path}: a command name starts with -")
        names = _option_names(_command(group, path))
        _check(all(name.startswith("-") for name in names), f"{path}: an option name does not start with -")
    sections = [
        HEADER,
        f"HELP_COLUMNS = {HELP_COLUMNS!r}  # the texts hold for a terminal at least this wide\n"
        f"HELP_OPTIONS = {help_options!r}\n"
        f"NO_ARGS_EXIT = {no_args_exit!r}  # `mentorkit` alone prints the help on stderr\n",
        "HELP: dict[tuple[str, ...], str] = {\n"
        + "".join(f"    {path!r}: (\n{_lines(text)}    ),\n" for path, text in help_texts.items())
        + "}\n",
        "TAKES_ARGUMENTS: frozenset[tuple[str, ...]] = frozenset({\n"
        + "".join(f"    {path!r},\n" for path in takes_arguments)
        + "})\n",
        _items_dict("SUBCOMMANDS", {path: items for path, items in subcommands.items() if items}),
        _items_dict("OPTIONS", options),
    ]
    return "\n".join(sections)


def _check(condition: bool, problem: str) -> None:
    """The entry relies on these; if the app changes one, entry.py has to change with it."""
    if not condition:
        raise SystemExit(f"Error: {problem}; mentorkit/entry.py assumes otherwise and needs changing")


@contextlib.contextmanager
def _environment() -> Iterator[None]:
    """Help at the snapshot's width, and none of the variables that change the answers."""
    saved = {name: os.environ.get(name) for name in ("COLUMNS", COMPLETE_VAR, TYPER_TEST_SWITCH)}
    os.environ["COLUMNS"] = str(HELP_COLUMNS)
    os.environ.pop(COMPLETE_VAR, None)
    os.environ.pop(TYPER_TEST_SWITCH, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def help_names_in_order() -> Iterator[None]:
    """List the help option's names in the configured order (`-h`, `--help`).

    Click keeps them in a set, so the program lists them in an order that changes from run to
    run (with PYTHONHASHSEED). Shells sort candidates anyway; the snapshot holds the configured
    order, one of the two the program prints, and the tests compare with the program in this order.
    """
    original = Command.get_help_option_names

    def in_order(self: Command, ctx: Context) -> list[str]:
        return [name for name in ctx.help_option_names if name in original(self, ctx)]

    Command.get_help_option_names = in_order  # type: ignore[method-assign]
    try:
        yield
    finally:
        Command.get_help_option_names = original  # type: ignore[method-assign]


def _command_paths(group: Any) -> list[CommandPath]:
    """The root and every command and subcommand, in the order of the help."""
    paths: list[CommandPath] = [()]

    def walk(command: Any, prefix: CommandPath) -> None:
        for name in getattr(command, "commands", {}):
            paths.append((*prefix, name))
            walk(command.commands[name], (*prefix, name))

    walk(group, ())
    return paths


def _command(group: Any, path: CommandPath) -> Any:
    command = group
    for name in path:
        command = command.commands[name]
    return command


def run_program(group: Any, args: list[str]) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of the full program (`mentorkit.cli.main`, its command
    `group` built once) for `args`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            group.main(args, prog_name="mentorkit")
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _help_text(group: Any, path: CommandPath, help_options: tuple[str, ...]) -> str:
    answers = {run_program(group, [*path, option]) for option in help_options}
    _check(len(answers) == 1, f"{path}: {' and '.join(help_options)} give different answers")
    code, out, err = answers.pop()
    _check(code == 0 and not err, f"{path}: the help exits {code} or writes on stderr")
    return out


def _takes_arguments(command: Any) -> bool:
    """Whether a word that is not an option is the value of an argument (not a subcommand name)."""
    return any(isinstance(param, TyperArgument) for param in command.params)


def _option_names(command: Any) -> list[str]:
    options = [param for param in command.params if isinstance(param, TyperOption)]
    return [name for param in options for name in (*param.opts, *param.secondary_opts)]


def _items(complete: BashComplete, path: CommandPath, incomplete: str) -> Items:
    return tuple((item.value, item.help) for item in complete.get_completions(list(path), incomplete))


def _lines(text: str) -> str:
    """A string literal over several lines, one per line of the text, so that diffs read well."""
    return "".join(f"        {line!r}\n" for line in text.splitlines(keepends=True))


def _items_dict(name: str, table: dict[CommandPath, Items]) -> str:
    rows = "".join(
        f"    {path!r}: (\n" + "".join(f"        {item!r},\n" for item in items) + "    ),\n"
        for path, items in table.items()
    )
    return f"{name}: dict[tuple[str, ...], tuple[tuple[str, str | None], ...]] = {{\n{rows}}}\n"


if __name__ == "__main__":
    main()
