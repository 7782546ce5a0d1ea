"""What the docs and messages point people to exists, and no doc shows a developer's machine."""

from __future__ import annotations

import re
from pathlib import Path

from mentorkit.errors import REPORTING

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_internal_error_message_points_to_a_readme_section_that_says_what_to_include() -> None:
    assert '"Reporting a problem"' in REPORTING and "README" in REPORTING
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## Reporting a problem\n" in readme
    section = readme.split("\n## Reporting a problem\n", 1)[1].split("\n## ", 1)[0]
    for needed in ("MENTORKIT_DEBUG=1", "mentorkit --version", "private", "internal error"):
        assert needed in section, needed
    assert "github.com/mentorkit" not in readme


# A checkout, a home directory or a scratch directory of whoever captured the example; the docs'
# own user is Maya (/home/maya), and /tmp/demo.db-style throwaway stores are an example's own.
MACHINE_PATH = re.compile(r"/work/|/root/|/Users/|/home/(?!maya\b)|/src/mentorkit/|/tmp/dd/|/var/folders/")


def test_no_doc_shows_a_developers_machine_path() -> None:
    found = [
        f"{doc.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
        for doc in DOCS
        for n, line in enumerate(doc.read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_PATH.search(line)
    ]
    assert found == []
