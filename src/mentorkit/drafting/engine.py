"""Rendering a template to text, and turning every way that can fail into one clear line.

A failure names the template file, the line, and what went wrong there: the undefined
variable, the syntax problem, or the blocked attribute or limit. It is raised as
`InvalidInput`, which the CLI prints as one line with exit status 1: never a traceback, never
blank text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import BaseLoader, Environment, TemplateNotFound
from jinja2.exceptions import (
    SecurityError,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.loaders import split_template_path

from mentorkit.drafting.files import MAX_TEMPLATE_BYTES, TemplateFile, default_dir, user_dir
from mentorkit.drafting.sandbox import MAX_SECONDS, MAX_TEXT, DraftEnvironment, TemplateLimit
from mentorkit.errors import InvalidInput

_BLANK_RUNS = re.compile(r"\n{3,}")
_SHOWN_MESSAGES = (TypeError, ZeroDivisionError, OverflowError)
KILL_GRACE = 0.5  # seconds past MAX_SECONDS before a user's render is killed: the sandbox's own
# check, between steps, usually stops it first and names the line
_QUOTED = 4  # stored strings this long or longer never appear in an error line
_WINDOW = 24  # nor does any run of this many characters of a longer one (a message cut short)
VARIABLES_HINT = "the variables each template gets are listed in docs/drafting.md"


class _DirsLoader(BaseLoader):
    """Templates from a list of directories, first match wins, size- and encoding-checked.
    Used for the template itself and for anything it includes, imports or extends."""

    def __init__(self, directories: list[Path]) -> None:
        self.directories = directories

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)  # refuses '..' and absolute paths
        for directory in self.directories:
            path = directory.joinpath(*parts)
            if not path.is_file():
                continue
            size = path.stat().st_size
            if size > MAX_TEMPLATE_BYTES:
                raise TemplateLimit(f"{path} is {size} bytes; a template may have {MAX_TEMPLATE_BYTES}")
            try:
                source = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise TemplateLimit(f"{path} is not UTF-8 text") from None
            mtime = path.stat().st_mtime
            return source, str(path), lambda p=path, m=mtime: p.is_file() and p.stat().st_mtime == m
        raise TemplateNotFound(template)


def _search_path(template: TemplateFile) -> list[Path]:
    if template.source == "path":
        return [template.path.parent, user_dir(), default_dir()]
    if template.source == "user":
        return [user_dir(), default_dir()]
    return [default_dir()]


def label_for(filename: str | None, fallback: TemplateFile) -> str:
    """How an error names a template file: defaults by name, the user's files by path."""
    if not filename:
        return fallback.label
    path = Path(filename)
    try:
        if path.parent.resolve() == default_dir().resolve():
            return f"{path.name} (default)"
    except OSError:
        pass
    return str(path)


def _template_frame(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The innermost template line in a traceback jinja has rewritten: its frames for template
    code carry `__jinja_exception__` in their globals and the template's file and line."""
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _where(template: TemplateFile, filename: str | None, lineno: int | None) -> str:
    place = f"template {label_for(filename, template)}"
    return f"{place}, line {lineno}" if lineno else place


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _explain(template: TemplateFile, exc: BaseException, context: dict[str, Any] | None = None) -> InvalidInput:
    if isinstance(exc, TemplateSyntaxError):  # the message quotes the template, never the data
        where = _where(template, exc.filename, exc.lineno)
        return InvalidInput(f"{where}: syntax error: {_one_line(exc.message or '')}")
    filename, lineno = _template_frame(exc.__traceback__)
    where = _where(template, filename, lineno)
    detail = _detail(exc)
    if context is not None and _quotes_data(detail, context):
        # Jinja names a missing key, and Python a bad value, by quoting it: from a note, say.
        what = "a key or attribute the data does not have" if isinstance(exc, UndefinedError) else type(exc).__name__
        detail = f"the expression on that line failed ({what}; not quoted, since it comes from your data); check it"
    return InvalidInput(f"{where}: {detail}")


def _detail(exc: BaseException) -> str:
    if isinstance(exc, TemplateLimit):
        return f"not allowed in a template: {_one_line(str(exc))}"
    if isinstance(exc, SecurityError):
        return f"blocked by the template sandbox: {_one_line(str(exc))}"
    if isinstance(exc, UndefinedError):
        return f"{_one_line(exc.message or 'undefined')}; {VARIABLES_HINT}"
    if isinstance(exc, TemplateNotFound):
        return f"the template {exc.name!r} it uses does not exist; see `mentorkit templates list`"
    if isinstance(exc, TemplateError):
        return _one_line(exc.message or type(exc).__name__)
    if isinstance(exc, RecursionError):
        return "recursion too deep (a macro or include that calls itself without end?)"
    if isinstance(exc, MemoryError):
        return "the template needs more memory than a draft should"
    if isinstance(exc, _SHOWN_MESSAGES):
        return f"{type(exc).__name__}: {_one_line(str(exc))}"
    # Other messages may quote the data (a note) the expression worked on: name the kind only.
    return f"the expression on that line failed ({type(exc).__name__}); check it"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _quotes_data(detail: str, context: dict[str, Any]) -> bool:
    """Whether an error's text holds a stored string of the template's data, whole or a long run
    of it (a message cut at 200 characters holds only the start of a long note)."""
    flat = " ".join(detail.split())
    windows = {flat[i : i + _WINDOW] for i in range(max(0, len(flat) - _WINDOW + 1))}
    for text in _strings(context):
        if len(text) < _QUOTED:
            continue
        if " ".join(text.split()) in flat:
            return True
        if len(text) >= _WINDOW and any(w in text for w in windows):
            return True
    return False


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return body + "\n" if body else ""


def tidy_stream(pieces: Iterable[str]) -> Iterator[str]:
    """`tidy` of the pieces joined, produced line by line as the pieces come (the same text)."""
    started, blank, held = False, False, []
    for piece in pieces:
        if "\n" not in piece:
            held.append(piece)
            continue
        head, *lines = piece.split("\n")
        lines[:0] = ["".join(held) + head]
        held = [lines.pop()]
        for line in lines:
            line = line.rstrip()
            if not line:
                blank = started
                continue
            yield ("\n" if blank else "") + line + "\n"
            started, blank = True, False
    last = "".join(held).rstrip()
    if last:
        yield ("\n" if blank else "") + last + "\n"


def _no_text(template: TemplateFile) -> InvalidInput:
    return InvalidInput(
        f"template {template.label} produced no text; check its "
        "{% if %} blocks, or start again from the default "
        "(`mentorkit templates show NAME --default`)"
    )


def _pieces(template: TemplateFile, context: dict[str, Any], *, bounded: bool = True) -> Iterator[str]:
    """The template's output as jinja generates it; any failure becomes one InvalidInput line that
    quotes no stored text. `bounded` caps the output at MAX_TEXT and the steps and seconds."""
    env = DraftEnvironment(loader=_DirsLoader(_search_path(template)))
    try:
        compiled = env.get_template(template.filename)
        env.start(bounded=bounded)
        total = 0
        for piece in compiled.generate(context):
            total += len(piece)
            if bounded and total > MAX_TEXT:
                raise TemplateLimit(f"the output passed {MAX_TEXT:,} characters")
            yield piece
    except Exception as exc:  # a template's expressions can raise any Python error
        raise _explain(template, exc, context) from None


def _render_here(template: TemplateFile, context: dict[str, Any], clean: bool) -> str:
    text = "".join(_pieces(template, context))
    if clean:
        text = tidy(text)
    if not text.strip():
        raise _no_text(template)
    return text


def render_template(template: TemplateFile, context: dict[str, Any], *, clean: bool = True) -> str:
    """Render one template with plain data. Raises InvalidInput on any template problem.

    mentorkit's own templates render in process. A template of the user's runs in a child process
    stopped after MAX_SECONDS whatever it does (drafting/bounded.py): the sandbox's own checks
    run only between steps, and one step can take minutes."""
    if template.source == "default":
        return _render_here(template, context, clean)
    from mentorkit.drafting.bounded import TimeLimit, run_bounded

    try:
        return run_bounded(lambda: _render_here(template, context, clean), MAX_SECONDS + KILL_GRACE)
    except TimeLimit:
        raise InvalidInput(
            f"template {template.label}: not allowed in a template: it ran longer than {MAX_SECONDS:g} seconds "
            "and was stopped (a loop or a comparison that grows too fast?)"
        ) from None


def stream_template(template: TemplateFile, context: dict[str, Any], write: Callable[[str], object]) -> int:
    """Write a tidied render to `write` as it is produced; return the number of lines written.

    mentorkit's own template (the Markdown report of a large store) streams without the output,
    step and time limits; a user's template is rendered whole, bounded, then written."""
    if template.source != "default":
        text = render_template(template, context)
        write(text)
        return text.count("\n")
    lines = 0
    for chunk in tidy_stream(_pieces(template, context, bounded=False)):
        write(chunk)
        lines += chunk.count("\n")
    if not lines:
        raise _no_text(template)
    return lines


def check_syntax(template: TemplateFile) -> None:
    """Parse a template without rendering it (after `templates edit`)."""
    env = DraftEnvironment(loader=_DirsLoader(_search_path(template)))
    try:
        env.get_template(template.filename)
    except (TemplateError, RecursionError) as exc:
        raise _explain(template, exc) from None
