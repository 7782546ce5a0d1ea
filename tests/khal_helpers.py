"""khal, a real calendar client, run on a calendar directory with a configuration of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def khal(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "khal", "-c", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def khal_config(root: Path, calendar: Path, zone: str = "UTC") -> Path:
    """A khal configuration under `root` reading `calendar` (made if missing), showing times in `zone`."""
    calendar.mkdir(parents=True, exist_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    config = root / "config"
    config.write_text(
        f"""[calendars]
[[mentorkit]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}

[sqlite]
path = {root / "khal.db"}
""",
        encoding="utf-8",
    )
    return config
