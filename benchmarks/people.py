"""People at scale (issue 20): the import of a 2,500-row LinkedIn export, and the read commands a
person runs every day with 2,500 prospects in the store against the same store without them.

    python benchmarks/people.py [--runs 10] [--rows 2500]

The store "without" is the demo board (`mentorkit demo`); "with" is the same board after the
import of a generated LinkedIn export (tests/people_helpers.py: shared names, unicode names,
blank emails). Each command is a fresh process timed as benchmarks/run.py times them (bytecode
caching on, COLUMNS=120, output to a pipe), the two stores taking turns in every round, so the
ratio compares like with like on a busy machine. The import runs each round on a fresh copy of the
demo store. Prints a Markdown table (docs/performance.md, "People at scale").
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from run import OUT, child_env, mentorkit, spawn, time_alternating  # noqa: E402

from people_helpers import linkedin_csv, network  # noqa: E402

COMMANDS = {
    "mentors": ["mentors"],
    "board": ["board"],
    "followups": ["followups"],
    "search": ["search", "draft"],
    "show": ["show", "teresa"],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rows", type=int, default=2500)
    args = parser.parse_args(argv)
    exe = mentorkit()
    folder = OUT / "people"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    export = folder / "Connections.csv"
    export.write_text(linkedin_csv(network(random.Random(2500), args.rows)), encoding="utf-8")
    demo, big, scratch = folder / "demo.db", folder / "prospects.db", folder / "scratch.db"
    assert spawn([exe, "demo"], child_env({"MENTORKIT_DB": str(demo)})).exit_code == 0
    shutil.copy(demo, big)
    assert spawn([exe, "import", str(export)], child_env({"MENTORKIT_DB": str(big)})).exit_code == 0

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
        shutil.copy(demo, scratch)

    specs = [("import", [exe, "import", str(export)], child_env({"MENTORKIT_DB": str(scratch)}))]
    for name, cmd in COMMANDS.items():
        specs.append((f"{name} without", [exe, *cmd], child_env({"MENTORKIT_DB": str(demo)})))
        specs.append((f"{name} with", [exe, *cmd], child_env({"MENTORKIT_DB": str(big)})))
    timings = time_alternating(specs, args.runs, 2, before_each={"import": fresh})
    for t in timings.values():
        assert {s.exit_code for s in t.samples} == {0}, (t.name, t.samples[-1])

    def median(name: str) -> float:
        return statistics.median(timings[name].walls)

    imported = timings["import"]
    print(f"Import of a {args.rows:,}-row LinkedIn export into the demo store: median "
          f"{median('import'):.0f} ms (CPU {statistics.median(s.cpu_ms for s in imported.samples):.0f} ms, "
          f"peak {max(s.rss_mib for s in imported.samples):.0f} MiB), {args.runs} runs\n")  # fmt: skip

    def cpu(name: str) -> float:
        return statistics.median(s.cpu_ms for s in timings[name].samples)

    print(
        f"| command | without: wall (CPU) ms | with {args.rows:,} prospects: wall (CPU) ms | ratio wall | ratio CPU |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, cmd in COMMANDS.items():
        a, b = f"{name} without", f"{name} with"
        print(
            f"| `{' '.join(cmd)}` | {median(a):.0f} ({cpu(a):.0f}) | {median(b):.0f} ({cpu(b):.0f}) "
            f"| {median(b) / median(a):.2f} | {cpu(b) / cpu(a):.2f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
