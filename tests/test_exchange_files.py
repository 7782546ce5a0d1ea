"""Export files are written whole or not at all, private; the Markdown report and its template."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from exchange_helpers import seed


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_existing_file_named_with_o_is_replaced_whole_and_private_only_with_force(
    ok, cli, db_path: Path, tmp_path: Path
) -> None:
    seed(db_path)
    target = tmp_path / "out.csv"
    target.write_text("old content that is longer than the new one" * 1000)
    os.chmod(target, 0o644)
    refused = cli("export", "-f", "csv", "-o", str(target))
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert target.read_text().startswith("old content")
    ok("export", "-f", "csv", "-o", str(target), "--force")
    assert target.read_text(encoding="utf-8").startswith("uuid,name,kind")
    assert target.stat().st_mode & 0o777 == 0o600
    assert _leftovers(tmp_path) == []


def test_a_symlink_is_followed(ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    ok("export", "-f", "json", "-o", str(link), "--force")
    assert link.is_symlink() and '"format": "mentorkit"' in real.read_text(encoding="utf-8")


def test_a_failing_export_leaves_the_old_file_and_no_temporary(
    cli, ok, db_path: Path, tmp_path: Path, isolated_dirs: Path
) -> None:
    seed(db_path)
    target = tmp_path / "report.md"
    target.write_text("yesterday's report")
    broken = tmp_path / "broken.md.j2"
    broken.write_text("# {{ profile.name }}\n{% for m in mentors %}{{ m.nmae }}{% endfor %}\n")
    result = cli("export", "-f", "md", "--template", str(broken), "-o", str(target), "--force")
    assert result.exit_code == 1 and "nmae" in result.stderr
    assert target.read_text() == "yesterday's report"
    assert _leftovers(tmp_path) == []


def test_disk_full_leaves_the_old_file(cli, ok, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(db_path)
    target = tmp_path / "all.json"
    target.write_text("previous export")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if os.fstat(fd).st_size > 0 and _leftovers(tmp_path):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    result = cli("export", "-f", "json", "-o", str(target), "--force")
    assert result.exit_code == 1 and "disk is full" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "previous export"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("where", ["store", "wal", "directory", "missing dir"])
def test_refused_targets(cli, ok, db_path: Path, tmp_path: Path, where: str) -> None:
    seed(db_path)
    target = {
        "store": db_path,
        "wal": Path(f"{db_path}-wal"),
        "directory": tmp_path,
        "missing dir": tmp_path / "nope" / "x.json",
    }[where]
    before = db_path.read_bytes()
    result = cli("export", "-f", "json", "-o", str(target))
    assert result.exit_code in (1, 2), result.stdout
    assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_options_for_other_formats_are_refused(cli) -> None:
    for args, word in (
        (("-f", "json", "--what", "meetings"), "--what"),
        (("-f", "csv", "--todos-as-events"), "--todos-as-events"),
        (("-f", "ics", "--template", "x"), "--template"),
    ):
        result = cli("export", *args)
        assert result.exit_code == 1 and word in result.stderr


def test_unknown_format_is_a_usage_error(cli) -> None:
    assert cli("export", "-f", "xml").exit_code == 2
    assert cli("import", "x", "-f", "xml").exit_code == 2


# --- the Markdown report ---------------------------------------------------------------------


def test_markdown_report(ok, db_path: Path) -> None:
    seed(db_path)
    text = ok("export", "--format", "md").stdout
    assert text.startswith("# Mentoring report: Dr. Ana Pérez\n")
    assert "## The board" in text and "- **teaching**: no mentor — **gap**; prospects: Sam Lee" in text
    assert "- **research**: First R01" in text
    assert (
        "## Open follow-ups" in text and "- [ ] Send revised aims — me, with Dr. Teresa Alvarez, due 2026-03-05" in text
    )
    assert "### Dr. Teresa Alvarez — active" in text and "- Tags: K-award, R01" in text
    assert "  - Agenda: Specific aims" in text and "  - Notes: Talked about aims;" in text
    assert "- 2026-02-20: Cut aim 3 — helpful" in text
    assert "Red flags:" in text and "commitment, raised 2026-02-27: Missed two calls" in text
    assert "- **Writing circle** (biweekly): Jo Peer, Kim Peer" in text


def test_markdown_report_of_an_empty_store(ok, empty_store: Path) -> None:
    text = ok("export", "-f", "md").stdout
    assert "# Mentoring report" in text and "Nothing open." in text and "No people yet." in text


def test_user_override_of_the_report_template(ok, db_path: Path, isolated_dirs: Path) -> None:
    seed(db_path)
    folder = isolated_dirs / "home" / ".config" / "mentorkit" / "templates"
    folder.mkdir(parents=True)
    (folder / "report.md.j2").write_text("Board of {{ profile.name }}: {{ mentors | length }} people\n")
    assert ok("export", "-f", "md").stdout == "Board of Dr. Ana Pérez: 5 people\n"


def test_report_template_is_sandboxed(cli, ok, db_path: Path, tmp_path: Path) -> None:
    seed(db_path)
    evil = tmp_path / "evil.md.j2"
    evil.write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = cli("export", "-f", "md", "--template", str(evil))
    assert result.exit_code == 1 and "sandbox" in result.stderr


def test_import_refuses_devices_without_reading_them(cli, db_path: Path) -> None:
    result = cli("import", "/dev/zero")
    assert result.exit_code == 1 and "is a device" in result.stderr
