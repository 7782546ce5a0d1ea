"""Errors whose wording comes from Python itself read the same on every supported Python.

Python 3.13 names a NUL byte in a path "embedded null character" (3.11: "embedded null byte")
and a trailing comma in JSON "Illegal trailing comma" at the comma (3.11: "Expecting value" at
the bracket). CI runs the suite on each Python of requires-python, so both wordings are met.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import pytest


def test_a_nul_byte_in_a_backup_path_is_bad_input_on_every_python(cli, ok) -> None:
    ok("add-mentor", "Teresa Alvarez")
    result = cli("backup", "a\x00b")
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert result.stderr.strip() == "Error: a path on the command line holds a NUL byte; remove it and try again"


@pytest.mark.parametrize(
    "args",
    [
        ("restore", "a\x00b", "--yes"),
        ("import", "a\x00b.json"),
        ("export", "--format", "json", "-o", "a\x00b.json"),
        ("--db", "a\x00b.db", "mentors"),
    ],
)
def test_a_nul_byte_in_any_path_is_refused_in_one_line(cli, ok, args) -> None:
    """Refused as bad input (1) or, where Click checks the path first, as a usage error (2)."""
    ok("add-mentor", "Teresa Alvarez")
    result = cli(*args)
    assert result.exit_code in (1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert [m["name"] for m in ok("mentors", "--json").json()] == ["Teresa Alvarez"]


@pytest.mark.parametrize("text", ['{"tables": {"mentors": [],}}', '{"tables": {"mentors": [{"name": "x"},\n  ]}}'])
def test_a_trailing_comma_is_named_as_this_pythons_json_names_it(cli, tmp_path: Path, text) -> None:
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    result = cli("import", str(path))
    assert result.exit_code == 1
    where = f"line {expected.value.lineno}, column {expected.value.colno}"
    assert expected.value.msg in result.stderr and where in result.stderr, (result.stderr, where)


NUMBERED = re.compile(r"(?<![\w\\])\?\d")  # `?1` in SQL text; a regular expression's `\d?\d` is not one


def _sql_strings(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):  # an f-string: its literal parts, the fields as {}
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return [(line, text) for line, text in found if re.search(r"\b(SELECT|UPDATE|DELETE|INSERT)\b", text)]


def test_sql_binds_numbered_parameters_nowhere() -> None:
    """Python 3.12.0-3.12.3 warn when `?1`-style parameters are bound from a sequence, and say 3.14
    will refuse them; mentorkit uses `?` with a sequence or `:name` with a dict. (The suite runs
    with DeprecationWarning from mentorkit as an error too, but only those Pythons raise this one.)"""
    src = Path(__file__).resolve().parent.parent / "src" / "mentorkit"
    numbered = [
        f"{path.relative_to(src)}:{line}"
        for path in sorted(src.rglob("*.py"))
        for line, text in _sql_strings(path)
        if NUMBERED.search(text)
    ]
    assert numbered == []


def test_a_deprecation_in_mentorkit_fails_the_test_that_meets_it() -> None:
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old", DeprecationWarning, "x.py", 1, module="mentorkit.domain.review")
