"""Figures for `mentorkit sync` (docs/performance.md, "Sync"): a PostgreSQL server on localhost
started like the tests' (tests/pg_helpers.py), a copy of a store (the reference store by default),
then, each a whole `mentorkit sync` process timed from outside:

1. the first push of the store to a new hub;
2. a new, empty device's first sync (it pulls everything);
3. incremental syncs of 10 changes (10 follow-ups added on the first device, then `sync`),
   five rounds, and the second device pulling them.

    python benchmarks/sync_figures.py [STORE]     # default: benchmarks/stores/reference.db
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pg_helpers import OWNER, PgServer, find_bindir  # noqa: E402


def mentorkit(store: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mentorkit", "--db", str(store), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "benchmarks" / "stores" / "reference.db"
    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL's pg_ctl is missing: apt-get install postgresql")
    work = Path(tempfile.mkdtemp(prefix="mentorkit-sync-bench-"))
    server = PgServer(bindir)
    server.init()
    server.start()
    try:
        server.setup_roles()
        dbname = server.new_database()
        mentorkit(work / "scratch.db", "sync", "--init", server.url(OWNER, dbname))
        with server.admin() as conn:
            conn.execute("GRANT mentorkit_users TO alice")
        url = server.url("alice", dbname)
        laptop, desktop = work / "laptop.db", work / "desktop.db"
        shutil.copy(source, laptop)
        mentorkit(laptop, "mentors", "--json")  # upgrade the copy to this schema, untimed
        figures: dict[str, object] = {"store": str(source), "bytes": source.stat().st_size}
        seconds, out = mentorkit(laptop, "sync", url, "--json")
        figures["first push"] = {"seconds": round(seconds, 2), "pushed": sum(json.loads(out)["pushed"].values())}
        seconds, out = mentorkit(desktop, "sync", url, "--json")
        figures["first pull onto a new device"] = {
            "seconds": round(seconds, 2),
            "pulled": sum(json.loads(out)["pulled"].values()),
        }
        mentor = json.loads(mentorkit(laptop, "mentors", "--json")[1])[0]["id"]
        pushes, pulls = [], []
        for round_ in range(5):
            for n in range(10):
                mentorkit(laptop, "followup", "add", str(mentor), f"benchmark task {round_}.{n}")
            seconds, out = mentorkit(laptop, "sync", url, "--json")
            assert json.loads(out)["pushed"] == {"followup": 10}, out
            pushes.append(seconds)
            seconds, out = mentorkit(desktop, "sync", url, "--json")
            assert json.loads(out)["pulled"] == {"followup": 10}, out
            pulls.append(seconds)
        figures["incremental push of 10 changes, s (5 rounds)"] = [round(s, 3) for s in pushes]
        figures["incremental pull of 10 changes, s (5 rounds)"] = [round(s, 3) for s in pulls]
        figures["medians"] = {"push": round(statistics.median(pushes), 3), "pull": round(statistics.median(pulls), 3)}
        figures["load average"] = os.getloadavg()
        print(json.dumps(figures, indent=2))
    finally:
        server.stop("immediate")
        server.remove()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
