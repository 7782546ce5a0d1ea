"""Errors whose wording comes from Python itself read the same on every supported Python.

Python 3.13 names a NUL byte in a path "embedded null character" (3.11: "embedded null byte")
and a trailing comma in JSON "Illegal trailing comma" at the comma (3.11: "Expecting value" at
the bracket). CI runs the suite on each Python of requires-python, so both wordings are met.
"""

from __future__ import annotations

import json
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
