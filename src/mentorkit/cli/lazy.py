"""The root group: a command is built when it runs, listed without being built, and its plain
values are coerced without Pydantic. Typer and Click are used through their public API only.

Why (docs/performance.md): Typer turns a registered function into a Click command by inspecting
its signature; done for all forty commands on every run, that costs more than the rest of
`mentorkit followups`. And Typer coerces every parameter value through a Pydantic `TypeAdapter`:
importing Pydantic and building the adapters costs about as much again, for values that are
already plain strings.

- Each CLI module registers its commands, with decorators, on its own `typer.Typer()` named
  `app` (`MODULES` lists the modules in the order of the help). `LazyGroup` is the documented
  Click pattern for lazy groups, as a `TyperGroup` subclass passed to `typer.Typer(cls=...)`:
  its `commands` mapping knows every name from the modules' `registered_commands` and
  `registered_groups` and builds one with `typer.main.get_command` when it is looked up.
- Help listings and completion of command names are drawn from stand-ins: `TyperCommand`s that
  carry only a command's name and help texts, so Click words and cuts them as for the real one.
- `plain_values` makes each `TyperOption`/`TyperArgument` of a built command a `PlainOption` /
  `PlainArgument` (subclasses of those public classes). Their `process_value` coerces str, int,
  bool and lists of str directly and hands anything else to Typer unchanged, so values and error
  messages are the same (tests/test_performance_design.py compares both ways).
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from mentorkit.cli.completion import SHELLS, answer, noted

if TYPE_CHECKING:
    from typer.models import CommandInfo, TyperInfo

MODULES = (
    "profile",
    "mentors",
    "meetings",
    "followups",
    "show",
    "goals",
    "plans",
    "relationships",
    "drafting",
    "board",
    "report",
    "data",
    "demo",
    "fixes",
    "edits",
    "settings",
    "remind",
    "sync",
)
"""The modules under mentorkit.cli whose `app` holds commands, in the order of the help."""

_INT = re.compile(r"-?[0-9]{1,15}")


def catalogue() -> dict[str, CommandInfo | TyperInfo]:
    """Every top-level command and group by name: commands first, then groups, each in module order."""
    apps = [importlib.import_module(f"mentorkit.cli.{name}").app for name in MODULES]
    found: dict[str, CommandInfo | TyperInfo] = {}
    for info in (info for module_app in apps for info in module_app.registered_commands):
        assert info.name, "name every command in mentorkit: app.command('name')"
        found[info.name] = info
    for group in (group for module_app in apps for group in module_app.registered_groups):
        assert group.name, "name every group in mentorkit: app.add_typer(sub_app, name='name')"
        found[group.name] = group
    return found


class LazyCommands(MutableMapping[str, Any]):
    """The subcommands of the root group, built when first looked up."""

    def __init__(self) -> None:
        self.infos = catalogue()
        self.built: dict[str, Any] = {}
        """The commands built so far, by name."""

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            self.built[name] = build(self.infos[name])  # KeyError for an unknown name, as a dict
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command
        self.infos.setdefault(name, None)  # type: ignore[arg-type]

    def __delitem__(self, name: str) -> None:
        del self.infos[name]
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.infos)

    def __len__(self) -> int:
        return len(self.infos)

    def __contains__(self, name: object) -> bool:
        return name in self.infos

    def stand_in(self, name: str) -> Any:
        """The command itself once built; else a `TyperCommand` with only its name and help texts."""
        if name in self.built:
            return self.built[name]
        from typer.models import CommandInfo

        info = self.infos[name]
        if isinstance(info, CommandInfo):
            text = inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback)
            short, hidden, deprecated = info.short_help, info.hidden, info.deprecated
        else:
            from typer.main import solve_typer_info_defaults

            solved = solve_typer_info_defaults(info)
            text, short, hidden, deprecated = solved.help, solved.short_help, solved.hidden, solved.deprecated
        return TyperCommand(
            name, help=text, short_help=short, hidden=bool(hidden), deprecated=deprecated, rich_markup_mode=None
        )


def build(info: CommandInfo | TyperInfo) -> Any:
    """The Click command of one registered command or group, built by Typer, with plain values."""
    from typer.models import CommandInfo

    solo = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
    if isinstance(info, CommandInfo):
        solo.registered_commands.append(info)
        command = typer.main.get_command(solo)  # a Typer with one command gives that command
    else:
        solo.registered_groups.append(info)
        command = typer.main.get_command(solo).commands[info.name]  # type: ignore[attr-defined]
    plain_values(command)
    return command


class LazyGroup(TyperGroup):
    """A group whose subcommands are built on demand (see the module's docstring)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = self.lazy = LazyCommands()

    def get_params(self, ctx: Any) -> list[Any]:
        return plain_params(super().get_params(ctx))

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # in the order of `catalogue`, nothing built

    def listing(self) -> TyperGroup:
        """A group of stand-ins for this one's commands: for help listings and completion."""
        commands = {name: self.lazy.stand_in(name) for name in self.lazy}
        return TyperGroup(name=self.name, commands=commands, rich_markup_mode=None)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        self.listing().format_commands(ctx, formatter)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names from the stand-ins (in their own context), then this group's options."""
        listing = self.listing()
        names = listing.shell_complete(typer.Context(listing, info_name=ctx.info_name), incomplete)
        options = super(TyperGroup, self).shell_complete(ctx, incomplete)
        return noted([item for item in names if item.value in listing.commands] + options)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Answer zsh and fish completion without Rich (cli/completion.py); the rest is Typer's."""
        prog_name = kwargs.get("prog_name") or "mentorkit"
        complete_var = kwargs.get("complete_var") or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
        instruction = os.environ.get(complete_var)
        if instruction not in SHELLS:
            return super().main(*args, **kwargs)
        code, out = answer(lambda: super(LazyGroup, self).main(*args, **kwargs), instruction, complete_var)
        sys.stdout.write(out)
        sys.stdout.flush()
        raise SystemExit(code)


# ---- plain values ----------------------------------------------------------------------------


def plain_values(command: Any) -> None:
    """Make `command` and its built subcommands give their Typer parameters plain values."""
    if type(command) is TyperCommand:
        command.__class__ = PlainCommand
    elif type(command) is TyperGroup:
        command.__class__ = PlainGroup
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):
        for sub in commands.values():
            plain_values(sub)


def plain_params(params: list[Any]) -> list[Any]:
    """`params`, each Typer option or argument made a `PlainOption` or `PlainArgument`."""
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = PlainArgument
    return params


class PlainCommand(TyperCommand):
    """A Typer command whose parameters, `--help` included, take plain values without Pydantic."""

    def get_params(self, ctx: Any) -> list[Any]:
        return plain_params(super().get_params(ctx))

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return noted(super().shell_complete(ctx, incomplete))


class PlainGroup(TyperGroup):
    """A Typer group whose parameters, `--help` included, take plain values without Pydantic."""

    def get_params(self, ctx: Any) -> list[Any]:
        return plain_params(super().get_params(ctx))

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return noted(super().shell_complete(ctx, incomplete))


_NOT_PLAIN = object()


def _plain(param: Any, value: Any) -> Any:
    """`value` coerced as Typer would, for the plain types our commands use; else `_NOT_PLAIN`."""
    descriptor = param.type_descriptor
    info = descriptor.parameter_info
    if info.parser is not None or info.min is not None or info.max is not None or descriptor.is_file:
        return _NOT_PLAIN  # Typer's to check
    if value is None:
        return () if param.multiple or param.nargs == -1 else None
    annotation = descriptor.annotation
    if annotation is str and isinstance(value, str):
        return value
    if annotation is bool and isinstance(value, bool):
        return value
    if annotation is int and (type(value) is int or (isinstance(value, str) and _INT.fullmatch(value))):
        return int(value)
    if (
        get_origin(annotation) is list
        and get_args(annotation) == (str,)
        and isinstance(value, list | tuple)
        and all(isinstance(item, str) for item in value)
    ):
        return list(value)
    return _NOT_PLAIN


def _process(param: Any, ctx: Any, value: Any, typers: Any) -> Any:
    plain = _plain(param, value)
    if plain is _NOT_PLAIN or (param.required and param.value_is_missing(plain)):
        return typers(ctx, value)  # Typer's own coercion, and its message for a missing value
    if param.callback is not None:
        plain = param.callback(ctx, param, plain)
    return plain


class PlainOption(TyperOption):
    """A Typer option whose plain values skip Pydantic (see `_plain`)."""

    def process_value(self, ctx: Any, value: Any) -> Any:
        return _process(self, ctx, value, super().process_value)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return noted(super().shell_complete(ctx, incomplete))


class PlainArgument(TyperArgument):
    """A Typer argument whose plain values skip Pydantic (see `_plain`)."""

    def process_value(self, ctx: Any, value: Any) -> Any:
        return _process(self, ctx, value, super().process_value)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        return noted(super().shell_complete(ctx, incomplete))
