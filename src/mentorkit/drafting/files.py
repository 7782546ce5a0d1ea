"""Where drafting templates live, and which file a name means.

Three places, first match wins:

1. `--template PATH`: an existing file, or any value containing a path separator.
2. The user's override directory, `<user config dir>/mentorkit/templates/` (platformdirs, so
   `$XDG_CONFIG_HOME` on Linux). A file there with the name of a default replaces the default.
3. The defaults shipped inside the package, `mentorkit/templates/*.j2`.

A NAME may be given as the file name (`pitch.txt.j2`), without `.j2` (`pitch.txt`) or as its
first part (`pitch`). Nothing here imports jinja2, so `templates list` and `templates path` stay fast.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from mentorkit.errors import InvalidInput, NotFound

SUFFIX = ".j2"
MAX_TEMPLATE_BYTES = 200_000  # a template larger than this is not a template


@dataclass(frozen=True)
class TemplateFile:
    """One template file and where it came from: 'default', 'user' or 'path'."""

    name: str  # the short name: pitch, summary, report
    filename: str  # pitch.txt.j2
    path: Path
    source: str

    @property
    def label(self) -> str:
        """How errors and listings name the file."""
        if self.source == "default":
            return f"{self.filename} (default)"
        return str(self.path)


def default_dir() -> Path:
    """The templates shipped in the package."""
    from importlib.resources import files

    return Path(str(files("mentorkit").joinpath("templates")))


def user_dir() -> Path:
    """The override directory; it may not exist yet."""
    import platformdirs

    return Path(platformdirs.user_config_dir("mentorkit", appauthor=False)) / "templates"


def short_name(filename: str) -> str:
    return filename.split(".", 1)[0]


def _templates_in(directory: Path, source: str) -> list[TemplateFile]:
    if not directory.is_dir():
        return []
    return [
        TemplateFile(short_name(p.name), p.name, p, source)
        for p in sorted(directory.iterdir())
        if p.name.endswith(SUFFIX) and not p.name.startswith(".") and p.is_file()
    ]


def defaults() -> list[TemplateFile]:
    return _templates_in(default_dir(), "default")


def overrides() -> list[TemplateFile]:
    return _templates_in(user_dir(), "user")


def _matches(template: TemplateFile, name: str) -> bool:
    return name in (template.filename, template.filename.removesuffix(SUFFIX), template.name)


def _known_names() -> str:
    names = sorted({t.name for t in (*overrides(), *defaults())})
    return ", ".join(names) if names else "none"


def find_named(name: str, *, default_only: bool = False) -> TemplateFile:
    """A template by NAME: the user's override when there is one, else the default."""
    wanted = name.strip()
    for template in ([] if default_only else overrides()) + defaults():
        if _matches(template, wanted):
            return template
    where = "default template" if default_only else "template"
    raise NotFound(f"no {where} named {wanted!r}; known templates: {_known_names()} (see `mentorkit templates list`)")


def looks_like_path(value: str) -> bool:
    return os.sep in value or "/" in value or value.startswith("~") or Path(value).is_file()


def find(name_or_path: str) -> TemplateFile:
    """What `--template NAME or PATH` means."""
    value = name_or_path.strip()
    if not value:
        raise InvalidInput("--template needs a NAME (see `mentorkit templates list`) or a PATH")
    if not looks_like_path(value):
        return find_named(value)
    path = Path(value).expanduser()
    if not path.is_file():
        raise NotFound(f"no template file at {path}; give an existing file or a NAME from `mentorkit templates list`")
    return TemplateFile(short_name(path.name), path.name, path.resolve(), "path")


def read_source(template: TemplateFile) -> str:
    """The text of a template, refusing what cannot be one (binary, huge, unreadable)."""
    try:
        size = template.path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            raise InvalidInput(f"template {template.label} is {size} bytes; the limit is {MAX_TEMPLATE_BYTES}")
        return template.path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"template {template.label} is not UTF-8 text") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read template {template.label}: {exc.strerror}") from None


@dataclass(frozen=True)
class Listed:
    """One row of `templates list`: a name, the file used, and whether it overrides a default."""

    name: str
    filename: str
    source: str  # default, user (overrides a default) or user-only (a template of the user's own)
    path: Path
    default_path: Path | None


def listing() -> list[Listed]:
    shipped = {t.filename: t for t in defaults()}
    mine = {t.filename: t for t in overrides()}
    rows = []
    for filename in sorted(shipped.keys() | mine.keys()):
        default = shipped.get(filename)
        if filename in mine:
            used = mine[filename]
            source = "user" if default else "user-only"
        else:
            assert default is not None
            used, source = default, "default"
        rows.append(Listed(used.name, filename, source, used.path, default.path if default else None))
    return rows


@dataclass(frozen=True)
class Copied:
    path: Path
    created: bool  # False: the user's file was there already and was left alone


def copy_default_to_user(name: str) -> Copied:
    """Put the default template in the override directory, unless the user has one already."""
    wanted = name.strip()
    for template in overrides():
        if _matches(template, wanted):
            return Copied(template.path, created=False)
    default = find_named(wanted, default_only=True)
    target_dir = user_dir()
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = target_dir / default.filename
        # O_EXCL: never replace a file that appeared meanwhile
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Copied(target_dir / default.filename, created=False)
    except OSError as exc:
        raise InvalidInput(f"cannot create {target_dir}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as out, default.path.open("rb") as src:
        shutil.copyfileobj(src, out)
    return Copied(target, created=True)
