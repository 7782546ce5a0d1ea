"""Drafting: pitches, meeting summaries and reports rendered from Jinja templates.

`render(name_or_path, context)` is the one entry point. Templates are found by `files` (user
overrides first, then the defaults shipped in `mentorkit/templates/`), run in the bounded sandbox
of `sandbox`, and every failure becomes one `InvalidInput` line naming file, line and problem
(`render`). Templates receive plain data only: dicts, lists, strings, numbers, None.

jinja2 is imported only when something is rendered, so listing templates stays fast.
"""

from __future__ import annotations

from typing import Any

from mentorkit.drafting.files import TemplateFile, find, find_named

__all__ = ["TemplateFile", "find", "find_named", "render", "render_file"]


def render(name_or_path: str, context: dict[str, Any], *, clean: bool = True) -> str:
    """Render the template NAME (user override first, then the default) or the file PATH.

    `clean` trims trailing spaces and runs of blank lines (turn it off for formats where
    trailing spaces mean something). Raises `mentorkit.errors.InvalidInput` on any problem.
    """
    return render_file(find(name_or_path), context, clean=clean)


def render_file(template: TemplateFile, context: dict[str, Any], *, clean: bool = True) -> str:
    """Render a template already located with `find` or `find_named`."""
    from mentorkit.drafting.engine import render_template

    return render_template(template, context, clean=clean)
