"""Rendering a template to text, and turning every way that can fail into one clear line.

A failure names the template file, the line, and what went wrong there: the undefined
variable, the syntax problem, or the blocked attribute or limit. It is raised as
`InvalidInput`, which the CLI prints as one line with exit status 1: never a traceback, never
blank text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
from mentorkit.drafting.sandbox import MAX_TEXT, DraftEnvironment, TemplateLimit
from mentorkit.errors import InvalidInput

_BLANK_RUNS = re.compile(r"\n{3,}")
_SHOWN_MESSAGES = (TypeError, ZeroDivisionError, OverflowError)
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


def _explain(template: TemplateFile, exc: BaseException) -> InvalidInput:
    if isinstance(exc, TemplateSyntaxError):
        where = _where(template, exc.filename, exc.lineno)
        return InvalidInput(f"{where}: syntax error: {_one_line(exc.message or '')}")
    filename, lineno = _template_frame(exc.__traceback__)
    where = _where(template, filename, lineno)
    if isinstance(exc, TemplateLimit):
        return InvalidInput(f"{where}: not allowed in a template: {_one_line(str(exc))}")
    if isinstance(exc, SecurityError):
        return InvalidInput(f"{where}: blocked by the template sandbox: {_one_line(str(exc))}")
    if isinstance(exc, UndefinedError):
        return InvalidInput(f"{where}: {_one_line(exc.message or 'undefined')}; {VARIABLES_HINT}")
    if isinstance(exc, TemplateNotFound):
        return InvalidInput(
            f"{where}: the template {exc.name!r} it uses does not exist; see `mentorkit templates list`"
        )
    if isinstance(exc, TemplateError):
        return InvalidInput(f"{where}: {_one_line(exc.message or type(exc).__name__)}")
    if isinstance(exc, RecursionError):
        return InvalidInput(f"{where}: recursion too deep (a macro or include that calls itself without end?)")
    if isinstance(exc, MemoryError):
        return InvalidInput(f"{where}: the template needs more memory than a draft should")
    if isinstance(exc, _SHOWN_MESSAGES):
        return InvalidInput(f"{where}: {type(exc).__name__}: {_one_line(str(exc))}")
    # Other messages may quote the data (a note) the expression worked on: name the kind only.
    return InvalidInput(f"{where}: the expression on that line failed ({type(exc).__name__}); check it")


def tidy(text: str) -> str:
    """Trailing spaces off every line, at most one blank line in a row, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    body = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return body + "\n" if body else ""


def render_template(template: TemplateFile, context: dict[str, Any], *, clean: bool = True) -> str:
    """Render one template with plain data. Raises InvalidInput on any template problem."""
    env = DraftEnvironment(loader=_DirsLoader(_search_path(template)))
    pieces: list[str] = []
    try:
        compiled = env.get_template(template.filename)
        env.start()
        total = 0
        for piece in compiled.generate(context):
            total += len(piece)
            if total > MAX_TEXT:
                raise TemplateLimit(f"the output passed {MAX_TEXT:,} characters")
            pieces.append(piece)
    except Exception as exc:  # a template's expressions can raise any Python error
        raise _explain(template, exc) from None
    text = "".join(pieces)
    if clean:
        text = tidy(text)
    if not text.strip():
        raise InvalidInput(
            f"template {template.label} produced no text; check its "
            "{% if %} blocks, or start again from the default "
            "(`mentorkit templates show NAME --default`)"
        )
    return text


def check_syntax(template: TemplateFile) -> None:
    """Parse a template without rendering it (after `templates edit`)."""
    env = DraftEnvironment(loader=_DirsLoader(_search_path(template)))
    try:
        env.get_template(template.filename)
    except (TemplateError, RecursionError) as exc:
        raise _explain(template, exc) from None
