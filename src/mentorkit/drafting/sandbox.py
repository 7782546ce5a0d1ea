"""The Jinja environment templates render in: sandboxed, strict, and bounded.

A user template is code the user wrote or copied from somewhere, so it runs in jinja2's
`ImmutableSandboxedEnvironment` (no `__class__`/`__mro__` walks, a sandboxed `str.format`, no
`list.append` and friends) with `StrictUndefined` (a misspelt variable is an error, never blank).

The sandbox blocks escapes but not exhaustion: `'x' * 10**10`, `9 ** 9 ** 9` or three nested
loops over `range(10000)` would hang or exhaust memory. So every place where a template can
build something big or spin is bounded, and crossing a bound raises `TemplateLimit`:

- `range()` yields at most MAX_RANGE items;
- the operators `*`, `**`, `%`, `+` are intercepted and checked *before* they run;
- `~` and every buffer join (macros, `{% set %}` blocks, `{% filter %}`) are size-checked;
- every call (methods, macros, globals) and every filter counts as a step, refuses numeric
  arguments above MAX_NUMBER, is estimated beforehand when it can multiply text
  (`replace`, `join`, `format`, `indent`, `wordwrap`, `expandtabs`, `translate`), and has its
  result size-checked;
- every loop iteration counts as a step (the code generator wraps each `for` iterable), so a
  render takes at most MAX_STEPS steps and MAX_SECONDS seconds (checked between steps: a user's
  template also runs in a child process killed at the limit, drafting/bounded.py);
- `namespace()` refuses oversized values; the output as a whole is capped by the renderer.
"""

from __future__ import annotations

import inspect
import re
import time
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

MAX_TEXT = 2_000_000  # characters in any text a template builds, and in its output
MAX_ITEMS = 100_000  # items in any list a template builds
MAX_RANGE = 10_000  # items one range() may yield
MAX_NUMBER = 100_000  # largest number a call or filter accepts (widths, counts, repeats)
MAX_INT_BITS = 100_000  # largest integer arithmetic may produce (about 30,000 digits)
MAX_STEPS = 1_000_000  # loop iterations plus calls in one render
MAX_SECONDS = 5.0

_DIGITS = re.compile(r"\d+")
_NESTED_FIELD = re.compile(r"\{[^{}]*\{")  # "{:{width}}": a width taken from the arguments
_WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice"})


class TemplateLimit(SecurityError):
    """A template tried to build or do more than a draft could ever need."""


def _size(value: Any, *, ints_as_widths: bool = False, _seen: dict[int, int] | None = None) -> int:
    """A generous estimate of how long `str(value)` can be, computed without building it.

    An integer counts as its digits, or as its value when a format may use it as a width.
    Containers are walked once each (shared items are remembered), and the walk stops as soon
    as the total passes MAX_TEXT.
    """
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        if ints_as_widths:
            return abs(value) if value.bit_length() <= 64 else MAX_TEXT + 1
        return value.bit_length() * 3 // 10 + 2  # decimal digits, sign included
    if isinstance(value, float):
        return 24
    if isinstance(value, Namespace):
        value = object.__getattribute__(value, "_Namespace__attrs")
    if not isinstance(value, dict | list | tuple | set | frozenset):
        return 64
    seen = {} if _seen is None else _seen
    if id(value) in seen:
        return seen[id(value)]
    seen[id(value)] = 0
    total = 2
    parts = [p for kv in value.items() for p in kv] if isinstance(value, dict) else value
    for part in parts:
        total += _size(part, ints_as_widths=ints_as_widths, _seen=seen) + 2
        if total > MAX_TEXT:
            break
    seen[id(value)] = total
    return total


def _check_stringify(value: Any, what: str, factor: int = 1) -> None:
    """Refuse to turn a container into text when that text would be too big."""
    if not isinstance(value, str):
        _check_estimate(_size(value) * factor, what)


def _format_estimate(fmt: str | bytes, args: Iterable[Any]) -> int:
    """Upper bound for `fmt % args` or `fmt.format(*args)`: every width and precision written in
    the format string counts as used, and so does every integer argument when the format takes
    widths from its arguments (`%*d`, `{:{w}}`)."""
    text = fmt.decode("latin-1") if isinstance(fmt, bytes) else fmt
    widths = 0
    for run in _DIGITS.findall(text):
        widths += int(run) if len(run) < 8 else MAX_TEXT + 1
    star = "*" in text or bool(_NESTED_FIELD.search(text))
    return len(text) + widths + sum(_size(a, ints_as_widths=star) for a in args)


def _too_big(what: str) -> TemplateLimit:
    return TemplateLimit(f"{what} is more than a draft needs (limit {MAX_TEXT:,} characters)")


def _check_estimate(estimate: int, what: str) -> None:
    if estimate > MAX_TEXT:
        raise _too_big(what)


def check_value(value: Any) -> Any:
    """Refuse a result that is already too big to keep."""
    if isinstance(value, str | bytes) and len(value) > MAX_TEXT:
        raise _too_big("the text built")
    if isinstance(value, list | tuple | dict | set | frozenset) and len(value) > MAX_ITEMS:
        raise TemplateLimit(f"a list of {len(value):,} items is more than a draft needs (limit {MAX_ITEMS:,})")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimit("a number that large is more than a draft needs")
    return value


def _check_numbers(args: Iterable[Any]) -> None:
    for value in args:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_NUMBER:
            raise TemplateLimit(
                f"the number {value if value.bit_length() < 64 else '(huge)'} "
                f"is larger than a draft needs (limit {MAX_NUMBER:,})"
            )


def _plain_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the context/environment a `pass_*` filter receives first."""
    skip = 0
    while skip < len(args) and isinstance(args[skip], Context | Environment | EvalContext):
        skip += 1
    return args[skip:]


# ---- text-multiplying operations, estimated before they run ------------------------------


def _estimate_replace(s: Any, old: Any, new: Any, count: Any = None) -> None:
    if isinstance(s, str | bytes) and isinstance(old, str | bytes) and isinstance(new, str | bytes):
        hits = len(s) + 1 if not old else s.count(old)  # type: ignore[arg-type]
        if isinstance(count, int) and count >= 0:
            hits = min(hits, count)
        _check_estimate(len(s) + hits * len(new), "replace()")


def _estimate_join(items: Any, sep: Any = "", attribute: Any = None) -> None:
    """`items` is always sized here: the callers turn iterators into lists first."""
    if isinstance(items, list | tuple | set | frozenset | dict | str):
        _check_estimate(_size(items) + len(items) * _size(sep), "join()")


def _amount(value: Any) -> int:
    """How many characters a width or padding argument adds: an int's value, a text's length."""
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) if value.bit_length() <= 64 else MAX_TEXT + 1
    return _size(value)


def _estimate_indent(s: Any, width: Any = 4, *_: Any) -> None:
    if isinstance(s, str):
        _check_estimate(len(s) + (s.count("\n") + 1) * _amount(width), "indent()")


def _estimate_wordwrap(s: Any, width: Any = 79, break_long: Any = True, wrapstring: Any = None, *_: Any) -> None:
    if isinstance(s, str):
        _check_estimate(len(s) * (1 + _size(wrapstring or "\n")), "wordwrap()")


def _estimate_expandtabs(s: Any, tabsize: Any = 8) -> None:
    if isinstance(s, str):
        tabs = s.count("\t")
    elif isinstance(s, bytes):
        tabs = s.count(b"\t")
    else:
        return
    _check_estimate(len(s) + tabs * _amount(tabsize), "expandtabs()")


def _estimate_translate(s: Any, table: Any = None) -> None:
    if isinstance(s, str) and isinstance(table, dict):
        longest = max((_size(v) for v in table.values()), default=1)
        _check_estimate(len(s) * max(longest, 1), "translate()")


def _sum_numbers_only(iterable: Any, attribute: Any = None, start: Any = 0) -> None:
    if not isinstance(start, int | float):
        raise TemplateLimit("sum() adds numbers only; join text with |join instead")


# filters that turn their whole input into text, and how much longer they can make it
_STRINGIFYING_FILTERS = {
    "string": 1,
    "pprint": 2,
    "tojson": 6,
    "e": 6,
    "escape": 6,
    "forceescape": 6,
    "safe": 1,
    "urlencode": 3,
    "xmlattr": 6,
    "upper": 1,
    "lower": 1,
    "capitalize": 1,
    "title": 1,
    "trim": 1,
    "striptags": 1,
    "wordcount": 1,
    "center": 1,
    "truncate": 1,
    "wordwrap": 1,
    "indent": 1,
    "urlize": 8,
    "replace": 1,
    "format": 1,
}

_FILTER_ESTIMATES: dict[str, Callable[..., None]] = {
    "replace": _estimate_replace,
    "join": _estimate_join,
    "indent": _estimate_indent,
    "wordwrap": _estimate_wordwrap,
    "sum": _sum_numbers_only,
    "format": lambda value, *args, **kwargs: (
        _check_estimate(_format_estimate(value, [*args, *kwargs.values()]), "format")
        if isinstance(value, str)
        else None
    ),
}

_METHOD_ESTIMATES: dict[str, Callable[..., None]] = {
    "replace": _estimate_replace,
    "join": lambda sep, items=(), *_: _estimate_join(items, sep),
    "expandtabs": _estimate_expandtabs,
    "translate": _estimate_translate,
}


# ---- loops: every iteration is a step -----------------------------------------------------


class GuardedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with each `for` iterable wrapped in `environment.guard_iter`
    and `~` joined by `environment.guarded_str_join`, both of which count and bound."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        guarded = nodes.For(
            node.target,
            self._guard(node.iter),
            node.body,
            node.else_,
            node.test,
            node.recursive,
            lineno=node.lineno,
            environment=self.environment,
        )
        super().visit_For(guarded, frame)

    @staticmethod
    def _guard(expr: nodes.Node) -> nodes.Expr:
        return nodes.Call(
            nodes.EnvironmentAttribute("guard_iter", lineno=expr.lineno), [expr], [], None, None, lineno=expr.lineno
        )

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.guarded_str_join((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


# ---- the environment ----------------------------------------------------------------------


class _Budget:
    def __init__(self, bounded: bool = True) -> None:
        self.steps = 0
        self.deadline = time.perf_counter() + MAX_SECONDS
        self.max_steps = MAX_STEPS if bounded else float("inf")
        if not bounded:
            self.deadline = float("inf")

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise TemplateLimit(
                f"the template ran more than {MAX_STEPS:,} loop steps and calls; is a loop nested too deeply?"
            )
        if self.steps % 1024 == 0 and time.perf_counter() > self.deadline:
            raise TemplateLimit(f"the template ran longer than {MAX_SECONDS:g} seconds")


def _finalize(value: Any) -> Any:
    """What `{{ ... }}` prints: None prints nothing; a container only when its text is small."""
    if value is None:
        return ""
    _check_stringify(value, "the value printed")
    return value


def _safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(result):,} items is more than a draft needs (limit {MAX_RANGE:,})")
    return result


class BoundedNamespace(Namespace):
    """`namespace()` whose attributes cannot grow past the limits."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, check_value(value))


def _bounded_namespace(*args: Any, **kwargs: Any) -> Namespace:
    for value in (*args, *kwargs.values()):
        check_value(value)
    return BoundedNamespace(*args, **kwargs)


class DraftEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=_finalize,
            **options,
        )
        self.budget = _Budget()
        self.globals.pop("lipsum", None)
        self.globals["range"] = _safe_range
        self.globals["namespace"] = _bounded_namespace
        self.filters = {name: self._guard_filter(name, f) for name, f in self.filters.items()}
        self.concat = self._bounded_concat  # type: ignore[method-assign]

    def start(self, *, bounded: bool = True) -> None:
        """A fresh budget for the next render; `bounded=False` (mentorkit's own report template over
        a large store) lifts the step and time limits, never the size checks of single values."""
        self.budget = _Budget(bounded)

    # called from generated code
    def guard_iter(self, iterable: Any) -> Iterator[Any]:
        tick = self.budget.tick
        for item in iterable:
            tick()
            yield item

    def guarded_str_join(self, parts: tuple[Any, ...]) -> str:
        _check_estimate(sum(_size(p) for p in parts), "the text joined with ~")
        return "".join(str(p) for p in parts)

    def _bounded_concat(self, parts: Iterable[str]) -> str:
        pieces = list(parts)
        _check_estimate(sum(len(p) for p in pieces), "a block of output")
        return "".join(pieces)

    def _guard_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        estimate = _FILTER_ESTIMATES.get(name)
        signature = inspect.signature(estimate) if estimate else None

        factor = _STRINGIFYING_FILTERS.get(name)

        @wraps(func)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            self.budget.tick()
            plain = _plain_args(args)
            if name == "join" and plain and isinstance(plain[0], Iterator):
                at = len(args) - len(plain)  # materialise so the size can be estimated
                args = (*args[:at], list(plain[0]), *args[at + 1 :])
                plain = _plain_args(args)
            if factor is not None and plain:
                _check_stringify(plain[0], f"the |{name} filter's result", factor)
            if name in _WIDTH_FILTERS:
                _check_numbers((*plain[1:], *kwargs.values()))
            if estimate is not None and signature is not None:
                try:
                    bound = signature.bind(*plain, **kwargs)
                except TypeError:
                    pass  # the filter itself will report the wrong arguments
                else:
                    estimate(*bound.args, **bound.kwargs)
            return check_value(func(*args, **kwargs))

        return guarded

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        __self.budget.tick()
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(target, "__self__", None)
        method = getattr(target, "__name__", "")
        if isinstance(owner, str | bytes):
            if method in ("format", "format_map"):
                values = [*args, *kwargs.values()]
                if method == "format_map" and args and isinstance(args[0], dict):
                    values = list(args[0].values())
                _check_estimate(_format_estimate(owner, values), "format()")
            else:
                _check_numbers((*args, *kwargs.values()))
                if method == "join" and args and isinstance(args[0], Iterator):
                    args = (list(args[0]), *args[1:])
                if method in _METHOD_ESTIMATES:
                    _METHOD_ESTIMATES[method](owner, *args, **kwargs)
        return check_value(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            if _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TemplateLimit("a product that large is more than a draft needs")
        elif operator == "**":
            if (
                _is_int(left)
                and _is_int(right)
                and abs(left) > 1
                and right > 0
                and left.bit_length() * right > MAX_INT_BITS
            ):
                raise TemplateLimit("a power that large is more than a draft needs")
        elif operator == "%" and isinstance(left, str | bytes):
            values = right if isinstance(right, tuple) else (right,)
            if isinstance(right, dict):
                values = tuple(right.values())
            _check_estimate(_format_estimate(left, values), "%-formatting")
        elif (
            operator == "+"
            and isinstance(left, str | bytes | list | tuple)
            and isinstance(right, str | bytes | list | tuple)
        ):
            limit = MAX_TEXT if isinstance(left, str | bytes) else MAX_ITEMS
            if len(left) + len(right) > limit:
                raise _too_big("the sum")
        return check_value(super().call_binop(context, operator, left, right))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_repeat(sequence: Any, times: Any) -> None:
    if isinstance(sequence, str | bytes | list | tuple) and _is_int(times):
        limit = MAX_TEXT if isinstance(sequence, str | bytes) else MAX_ITEMS
        if times > 0 and (times > limit or len(sequence) * times > limit):
            raise TemplateLimit(
                f"repeating a {type(sequence).__name__} {times if times < 10**12 else 'many'} "
                f"times is more than a draft needs (limit {limit:,})"
            )


def new_environment(loader: Any) -> DraftEnvironment:
    return DraftEnvironment(loader=loader)


__all__ = ["MAX_TEXT", "DraftEnvironment", "TemplateLimit", "new_environment"]
