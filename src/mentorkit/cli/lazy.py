"""A command tree built on demand, and argument coercion without Pydantic for plain types.

Why (docs/performance.md): Typer turns every registered function into a Click command by
inspecting its signature and evaluating its annotations. Done for all forty commands on every
run, that costs more than the rest of `mentorkit followups`. And Typer coerces each parameter's
value through a Pydantic `TypeAdapter`: importing Pydantic and building the adapters costs about
as much again, on every command, for values that are already plain strings.

So, one design, two parts:
- `LazyCommands` is the root group's `commands` mapping. It knows every command by name (from a
  catalogue `typer.Typer` the modules register into, exactly as before) and builds a command
  with Typer's own functions only when it is looked up. `--help` and shell completion list
  commands from `summary()`, which reads names and help texts without building anything.
- `speed_up_params` gives each parameter of a built command a `PlainRuntimeParam`: values of the
  plain types our commands use (str, int, bool, lists of str) are coerced directly; anything
  else (an unusual integer, an enum, a path) goes to Typer's own coercion, unchanged. The results
  are the same (tests/test_performance_design.py compares both ways).

If a future Typer moves these internals, `speed_up_params` does nothing and mentorkit is only
slower; the design tests then fail and say so.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer
    from typer import _click

_INT = re.compile(r"-?[0-9]{1,15}")


class LazyCommands(MutableMapping[str, "_click.Command"]):
    """The subcommands of the root group, built when first looked up."""

    def __init__(
        self, catalogue: typer.Typer, *, pretty_exceptions_short: bool, rich_markup_mode: Any, suggest_commands: bool
    ) -> None:
        self._options = {"pretty_exceptions_short": pretty_exceptions_short, "rich_markup_mode": rich_markup_mode}
        self._suggest = suggest_commands
        self._infos: dict[str, Any] = {}
        for info in catalogue.registered_commands:
            self._infos[_command_name(info)] = info
        for group in catalogue.registered_groups:
            assert group.name, "add_typer() needs name= in mentorkit"
            self._infos[group.name] = group
        self._built: dict[str, _click.Command] = {}

    def __getitem__(self, name: str) -> _click.Command:
        if name not in self._built:
            info = self._infos[name]  # KeyError for an unknown command, as a dict would
            self._built[name] = self._build(info)
        return self._built[name]

    def _build(self, info: Any) -> _click.Command:
        from typer.main import CommandInfo, get_command_from_info, get_group_from_info

        if isinstance(info, CommandInfo):
            command = get_command_from_info(info, **self._options)
        else:
            command = get_group_from_info(info, suggest_commands=self._suggest, **self._options)
        return command

    def __setitem__(self, name: str, command: _click.Command) -> None:
        self._built[name] = command
        self._infos.setdefault(name, None)

    def __delitem__(self, name: str) -> None:
        del self._infos[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def summary(self, name: str) -> Any:
        """The command's name and help texts (for listings), read without building it."""
        if name in self._built:
            return self._built[name]
        from typer.main import CommandInfo, solve_typer_info_defaults

        info = self._infos[name]
        if isinstance(info, CommandInfo):
            text = inspect.cleandoc(info.help) if info.help is not None else inspect.getdoc(info.callback)
            return Summary(name, text, info.short_help, bool(info.hidden), info.deprecated)
        solved = solve_typer_info_defaults(info)
        return Summary(name, solved.help, solved.short_help, bool(solved.hidden), solved.deprecated)


@dataclass(frozen=True)
class Summary:
    """What a listing needs of a command: `hidden` and Click's `get_short_help_str`."""

    name: str
    help: str | None
    short_help: str | None
    hidden: bool
    deprecated: bool | str | None

    def get_short_help_str(self, limit: int = 45) -> str:
        """The same text as `click.Command.get_short_help_str`."""
        from typer._click.utils import make_default_short_help

        if self.short_help:
            text = inspect.cleandoc(self.short_help)
        elif self.help:
            text = make_default_short_help(self.help, limit)
        else:
            text = ""
        if self.deprecated:
            text += f" (DEPRECATED: {self.deprecated})" if isinstance(self.deprecated, str) else " (DEPRECATED)"
        return text.strip()


def _command_name(info: Any) -> str:
    from typer.main import get_command_name

    return str(info.name or get_command_name(info.callback.__name__))


def speed_up_params(command: _click.Command, ctx: _click.Context) -> None:
    """Give the parameters of `command` (and of its subcommands) the plain coercion.

    `ctx` is needed to create the command's `--help` option, which Click makes on first use.
    """
    try:
        from typer._coercion import RuntimeParam
        from typer.core import _TyperParameter
    except ImportError:  # a Typer without these internals: keep its own coercion
        return
    plain = _plain_class(RuntimeParam)
    for param in command.get_params(ctx):
        if isinstance(param, _TyperParameter) and getattr(param, "_runtime_param", "?") is None:
            descriptor = param.type_descriptor
            if _is_plain(descriptor):
                param._runtime_param = plain(descriptor.parameter_info, descriptor.annotation)
    if not isinstance(getattr(command, "commands", None), LazyCommands):
        for sub in (getattr(command, "commands", None) or {}).values():
            speed_up_params(sub, ctx)


_PLAIN_TYPES: tuple[Any, ...] = (str, int, bool)


def _is_plain(descriptor: Any) -> bool:
    info = descriptor.parameter_info
    if info.parser is not None or info.min is not None or info.max is not None or descriptor.is_file:
        return False
    annotation = descriptor.annotation
    if annotation in _PLAIN_TYPES:
        return True
    from typing import get_args, get_origin

    return get_origin(annotation) is list and get_args(annotation) == (str,)


_plain_cache: dict[type, type] = {}


def _plain_class(base: type) -> type:
    """`PlainRuntimeParam`, a subclass of Typer's `RuntimeParam` (defined once Typer is loaded)."""
    if base in _plain_cache:
        return _plain_cache[base]

    class PlainRuntimeParam(base):
        """Coerce str, int, bool and list-of-str values directly; defer anything else to Typer."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            annotation = self.annotation
            if annotation is str and isinstance(value, str):
                return value
            if annotation is bool and isinstance(value, bool):
                return value
            if annotation is int and isinstance(value, str) and _INT.fullmatch(value):
                return int(value)
            if annotation is int and type(value) is int:
                return value
            if (
                annotation not in _PLAIN_TYPES  # list[str]
                and isinstance(value, list | tuple)
                and all(isinstance(item, str) for item in value)
            ):
                return list(value)
            return self._typer_coercion(param)._coerce_value(value, param=param, ctx=ctx)

        def _typer_coercion(self, param: Any) -> Any:
            from typer._coercion import build_runtime_param

            return build_runtime_param(param.type_descriptor)

    _plain_cache[base] = PlainRuntimeParam
    return PlainRuntimeParam


def plain_completion() -> None:
    """Shell completion for zsh and fish without Rich.

    Typer's zsh and fish completion pass every help text through Rich to strip Rich markup. With
    `rich_markup_mode=None` our help texts have no markup, so these subclasses print them as
    they are, and pressing Tab does not import Rich. (Bash completion shows no help texts.) The
    candidates are formatted by the same functions as those `mentorkit.entry` serves without Typer.
    Call after Typer registers its own classes (it does so while building the command).
    """
    try:
        from typer._click.shell_completion import add_completion_class
        from typer._completion_classes import FishComplete, ZshComplete
    except ImportError:  # another Typer: keep its completion as it is
        return

    from mentorkit.entry import fish_item, zsh_item

    class PlainZshComplete(ZshComplete):
        def format_completion(self, item: Any) -> str:
            return zsh_item(item.value, item.help)

    class PlainFishComplete(FishComplete):
        def format_completion(self, item: Any) -> str:
            return fish_item(item.value, item.help)

    add_completion_class(PlainZshComplete, "zsh")
    add_completion_class(PlainFishComplete, "fish")
