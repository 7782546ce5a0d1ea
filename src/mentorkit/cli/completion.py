"""Zsh and fish completion with help texts, without importing Rich.

Typer's zsh and fish completion pass every help text they show through Rich to strip Rich
markup; importing Rich for that costs about as much as Typer itself, more than the budget of a
Tab press (docs/performance.md). Our help texts hold no markup (`rich_markup_mode=None`), so:

- the candidates are found by Typer itself: the request is answered as the bash protocol asks,
  by the root group's own `main`, and the commands and parameters of cli/lazy.py note the
  candidates their `shell_complete` returns (`noted`);
- they are then written in the formats the zsh and fish scripts of Typer read: the same
  escaping, one candidate a line with its help text.

Any other request (bash, PowerShell, installing or showing a script) is Typer's, unchanged.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
from collections.abc import Callable, Iterator
from typing import Any

SHELLS = ("complete_zsh", "complete_fish")
"""The completion instructions answered here (as the completion scripts of Typer send them)."""

_noted: list[Any] = []


def noted(items: list[Any]) -> list[Any]:
    """Keep `items` as the candidates of the completion in progress; return them."""
    _noted[:] = items
    return items


def words(line: str) -> list[str]:
    """The words of a command line as the shell passes it; an unclosed quote ends the last word."""
    lexer = shlex.shlex(line, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    found: list[str] = []
    try:
        found.extend(lexer)
    except ValueError:  # the line ends inside quotes or after a backslash: keep what was read
        found.append(lexer.token)
    return found


def answer(run_bash: Callable[[], None], instruction: str, complete_var: str) -> tuple[int, str]:
    """Exit status and output for a zsh or fish completion request (`instruction`).

    `run_bash` runs the root group's completion with the environment this function sets up.
    """
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    count = len(words(line))
    cword = count - 1 if count > 1 and not line.endswith(" ") else count  # the last word is incomplete
    _noted.clear()
    bash = {complete_var: "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(cword)}
    with _environment(bash), contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        run_bash()
    items = [(str(item.value), item.help) for item in _noted]
    if instruction == "complete_zsh":
        if not items:
            return 0, "_files\n"
        return 0, "_arguments '*: :((" + "\n".join(zsh_line(value, help) for value, help in items) + "))'\n"
    action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if action == "is-args":  # answered by the exit status only: are there candidates?
        return (0 if items else 1), ""
    if action == "get-args" and items:
        return 0, "\n".join(fish_line(value, help) for value, help in items) + "\n"
    return 0, "\n"


def zsh_line(value: str, help: str | None) -> str:
    """One candidate for zsh's `_arguments`: quotes doubled, `$`, backquote and `:` escaped."""

    def escape(text: str) -> str:
        for plain, escaped in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", "\\\\:")):
            text = text.replace(plain, escaped)
        return text

    return f'"{escape(value)}":"{escape(help)}"' if help else f'"{escape(value)}"'


def fish_line(value: str, help: str | None) -> str:
    """One candidate for fish: the value, a tab, the help text on one line."""
    if not help:
        return value
    return value + "\t" + "".join(" " if char.isspace() else char for char in help)


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
