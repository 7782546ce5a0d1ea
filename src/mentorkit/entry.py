"""The `mentorkit` command: `--help`, `--version` and Tab completion answered without Typer.

Why (issue 7, docs/architecture.md): importing Typer takes longer than the whole budget for
`--help` (120 ms) and for Tab completion (100 ms). Those answers depend only on the command
tree, so `mentorkit/cli_snapshot.py` holds them, generated from the Typer app by
`python -m mentorkit.cli.snapshot`. `main` serves a request from it only when the snapshot
answers it exactly (the same output, stream and exit status as the full program), and hands
anything else to the full program, `mentorkit.cli.main`. tests/test_fast_paths.py compares the
two for every command and checks that the snapshot is current.

This module imports only `os`, `sys` and the snapshot (when it answers from it): that is the
point of it. cli/lazy.py formats completion candidates with its `zsh_item` and `fish_item`, so
the two ways cannot drift apart.
"""

from __future__ import annotations

import os
import sys

from mentorkit import __version__

TYPE_CHECKING = False  # `typing` itself costs 20 ms (it imports re): not imported when running
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import NoReturn

    Shell = tuple[Callable[[Mapping[str, str]], "Words | None"], Callable[["Items", Mapping[str, str]], "Answer"]]

Answer = tuple[int, str, str]
"""What the program does: its exit status, what it writes on stdout and on stderr."""

Items = list[tuple[str, str | None]]
"""Completion candidates: a value and its help text."""

Words = tuple[list[str], str]
"""The complete words after `mentorkit`, and the incomplete one."""

COMPLETE_VAR = "_MENTORKIT_COMPLETE"
"""Set by the shell scripts of Typer's completion (`complete_bash`...); the program name gives it."""

TYPER_TEST_SWITCH = "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"
"""Typer's switch for its own tests: it changes the root's completion options, so nothing is served."""


def main() -> None:
    """Run mentorkit: from the snapshot when it holds the answer, else the full program."""
    answer = fast_answer(sys.argv[1:], os.environ)
    if answer is None or not _writable(answer):
        from mentorkit.cli import main as full_program

        full_program()
    else:
        _write(answer)


def version_line() -> str:
    return f"mentorkit {__version__}"


def fast_answer(argv: list[str], environ: Mapping[str, str]) -> Answer | None:
    """The program's answer to `argv` in `environ` when the snapshot holds it exactly, else None."""
    if environ.get(TYPER_TEST_SWITCH):
        return None
    instruction = environ.get(COMPLETE_VAR)
    if instruction:  # completion comes first, whatever argv holds, as in Typer
        return _completion(instruction, environ)
    if argv == ["--version"]:
        return 0, version_line() + "\n", ""
    return _help(argv, environ)


# ---- help ------------------------------------------------------------------------------------


def _help(argv: list[str], environ: Mapping[str, str]) -> Answer | None:
    """`mentorkit`, `mentorkit --help` and `mentorkit COMMAND... --help` (or `-h`)."""
    from mentorkit import cli_snapshot as snapshot

    if _columns(environ) < snapshot.HELP_COLUMNS:
        return None  # Click wraps help to a narrower terminal: the snapshot's text would be wrong
    if not argv:
        return snapshot.NO_ARGS_EXIT, "", snapshot.HELP[()]
    *path, option = argv
    text = snapshot.HELP.get(tuple(path))
    if text is None or option not in snapshot.HELP_OPTIONS:
        return None
    return 0, text, ""


def _columns(environ: Mapping[str, str]) -> int:
    """The terminal's width as Click gets it from `shutil.get_terminal_size` (not imported: it costs)."""
    try:
        columns = int(environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


# ---- completion ------------------------------------------------------------------------------


def _completion(instruction: str, environ: Mapping[str, str]) -> Answer | None:
    """Command names and option names of a command, as Typer's completion would list them.

    Anything else (an option's value, an argument, a command line the snapshot does not know)
    is left to the full program.
    """
    from mentorkit import cli_snapshot as snapshot

    if instruction not in _SHELLS:
        return None  # powershell, or an instruction Typer refuses
    read_words, answer = _SHELLS[instruction]
    words = read_words(environ)
    if words is None:
        return None
    args, incomplete = words
    path = tuple(args)
    if path not in snapshot.HELP or "=" in incomplete:
        return None  # an unknown command line, or `--option=value`
    if not incomplete.startswith("-") and path in snapshot.TAKES_ARGUMENTS:
        return None  # the incomplete word is the value of an argument
    items: Items = [item for item in snapshot.SUBCOMMANDS.get(path, ()) if item[0].startswith(incomplete)]
    if incomplete and not incomplete[0].isalnum():  # Click lists option names for these
        items += [item for item in snapshot.OPTIONS[path] if item[0].startswith(incomplete)]
    return answer(items, environ)


def _bash_words(environ: Mapping[str, str]) -> Words | None:
    cword = environ.get("COMP_CWORD", "")
    words = _split(environ["COMP_WORDS"]) if "COMP_WORDS" in environ else None
    if words is None or not (cword.isascii() and cword.isdigit()):
        return None
    index = int(cword)
    return words[1:index], words[index] if index < len(words) else ""


def _typer_words(environ: Mapping[str, str]) -> Words | None:
    """The words of zsh and fish: the line so far; a last word not followed by a space is incomplete."""
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)
    if words is None:
        return None
    args = words[1:]
    if args and not line.endswith(" "):
        return args[:-1], args[-1]
    return args, ""


def _split(line: str) -> list[str] | None:
    """The words of `line` as Click's `split_arg_string` (shlex) makes them, for lines without quotes
    or backslashes (None for those)."""
    if any(char in line for char in "'\"\\"):
        return None
    for whitespace in "\t\r\n":  # shlex's whitespace, besides the space
        line = line.replace(whitespace, " ")
    return [word for word in line.split(" ") if word]


def _bash(items: Items, environ: Mapping[str, str]) -> Answer:
    return 0, "\n".join(value for value, _ in items) + "\n", ""


def _zsh(items: Items, environ: Mapping[str, str]) -> Answer:
    if not items:
        return 0, "_files\n", ""
    lines = "\n".join(zsh_item(value, help) for value, help in items)
    return 0, f"_arguments '*: :(({lines}))'\n", ""


def _fish(items: Items, environ: Mapping[str, str]) -> Answer:
    action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
    if action == "is-args":  # an answer by exit status only: are there candidates?
        return (0 if items else 1), "", ""
    if action == "get-args" and items:
        return 0, "\n".join(fish_item(value, help) for value, help in items) + "\n", ""
    return 0, "\n", ""


def zsh_item(value: str, help: str | None) -> str:
    """One candidate for zsh, as Typer formats it; help texts without Rich (cli/lazy.py)."""

    def escape(text: str) -> str:
        return text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")

    if help:
        return f'"{escape(value)}":"{escape(help)}"'
    return f'"{escape(value)}"'


def fish_item(value: str, help: str | None) -> str:
    """One candidate for fish, as Typer formats it: whitespace in the help text becomes spaces."""
    if help:
        return value + "\t" + "".join(" " if char.isspace() else char for char in help)
    return value


_SHELLS: dict[str, Shell] = {
    "complete_bash": (_bash_words, _bash),
    "complete_zsh": (_typer_words, _zsh),
    "complete_fish": (_typer_words, _fish),
}
"""How each shell's script passes the command line, and how it wants the candidates."""


# ---- output ----------------------------------------------------------------------------------


def _writable(answer: Answer) -> bool:
    """Whether a plain write gives what Click's `echo` would. The texts are ASCII today; should
    one not be, a stream that is not UTF-8 gets it from the full program (Click writes UTF-8 to
    a stream set up for ASCII, where a plain write fails)."""
    _, out, err = answer
    for stream, text in ((sys.stdout, out), (sys.stderr, err)):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if not text.isascii() and encoding not in ("utf-8", "utf8"):
            return False
    return True


def _write(answer: Answer) -> NoReturn:
    code, out, err = answer
    try:
        for stream, text in ((sys.stdout, out), (sys.stderr, err)):
            if text:
                stream.write(text)
                stream.flush()
    except BrokenPipeError:  # the reader went away (`mentorkit --help | head -1`): exit 1, as Click does
        silence_stdout()
        code = 1
    sys.exit(code)


def silence_stdout() -> None:
    """Once the reader of stdout has gone (`mentorkit ... | head`): send stdout to /dev/null, so
    that nothing more, not even the interpreter's last flush, fails or complains."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
