"""The mentorkit benchmark: whole-process timings on a large store, against the budgets of issue 7.

    python benchmarks/run.py                # everything (builds the stores the first time)
    python benchmarks/run.py --quick        # 3 runs each, no growth store, no import/export
    python benchmarks/run.py --runs 15 --out benchmarks/results/latest

Each command runs as its own process (a fresh interpreter, as a person or a shell prompt runs
it), after warm-up runs, and the median and spread of the wall-clock times are reported, with
the CPU time and the peak memory (max RSS) of each process from `os.wait4`. Comparisons that
matter (mentorkit against Taskwarrior, the reference store against the 10x store) alternate
their runs, so a machine that gets busier half-way does not favour either side.

Stores are built through mentorkit's domain code (benchmarks/build_store.py) and cached under
benchmarks/stores/ (git-ignored). Writes (`log`, `import`) run on scratch copies under
benchmarks/out/, so the cached stores stay as built. Results go to benchmarks/results/ as
Markdown and JSON (docs/performance.md explains them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STORES = HERE / "stores"
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from build_store import ZONE, ensure  # noqa: E402

MIB = 1024 * 1024
BUDGETS = {  # name: (limit, unit, what is compared)
    "help": (120, "ms", "median"),
    "completion": (100, "ms", "median"),
    "log": (300, "ms", "median"),
    "show": (200, "ms", "median"),
    "export": (10_000, "ms", "median"),
    "import": (20_000, "ms", "median"),
}
TASKWARRIOR_RATIO = 0.5  # followups and board, against `task ... list`
GROWTH_RATIO = 1.2  # read commands on the 10x store against the reference store
PEAK_MIB = 150


@dataclass
class Sample:
    wall_ms: float
    cpu_ms: float
    rss_mib: float
    exit_code: int
    out_bytes: int
    out_lines: int


@dataclass
class Timing:
    name: str
    command: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [s.wall_ms for s in self.samples]

    def summary(self) -> dict[str, object]:
        walls = sorted(self.walls)
        cpus = [s.cpu_ms for s in self.samples]
        return {
            "name": self.name,
            "command": self.command,
            "runs": len(walls),
            "median_ms": round(statistics.median(walls), 1),
            "min_ms": round(walls[0], 1),
            "max_ms": round(walls[-1], 1),
            "stdev_ms": round(statistics.stdev(walls), 1) if len(walls) > 1 else 0.0,
            "cpu_median_ms": round(statistics.median(cpus), 1),
            "peak_rss_mib": round(max(s.rss_mib for s in self.samples), 1),
            "exit_codes": sorted({s.exit_code for s in self.samples}),
            "out_lines": self.samples[-1].out_lines,
            "out_bytes": self.samples[-1].out_bytes,
            "samples_ms": [round(w, 1) for w in self.walls],
        }


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every timed process: bytecode caching on (as for an installed package,
    kept out of src/ with PYTHONPYCACHEPREFIX), private HOME and XDG dirs, a fixed width."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MENTORKIT_", "_MENTORKIT", "TASK"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    home = OUT / "home"
    env.update(
        PYTHONPYCACHEPREFIX=str(OUT / "pycache"), HOME=str(home), XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"), COLUMNS="120", NO_COLOR="1", TZ=ZONE,
    )  # fmt: skip
    env.update(extra or {})
    return env


def spawn(argv: list[str], env: dict[str, str], stdin: str | None = None) -> Sample:
    """Run one process; wall time around it, its own CPU time and max RSS from wait4."""
    start = time.perf_counter()
    read_out, write_out = os.pipe()
    read_in, write_in = os.pipe() if stdin is not None else (None, None)
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.dup2(write_out, 1)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            if read_in is not None:
                os.dup2(read_in, 0)
            else:
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.closerange(3, 256)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    os.close(write_out)
    if read_in is not None:
        os.close(read_in)
        assert write_in is not None
        os.write(write_in, stdin.encode())  # type: ignore[union-attr]
        os.close(write_in)
    chunks = []
    while chunk := os.read(read_out, 1 << 16):
        chunks.append(chunk)
    os.close(read_out)
    _, status, usage = os.wait4(pid, 0)
    wall = (time.perf_counter() - start) * 1000
    out = b"".join(chunks)
    return Sample(round(wall, 2), round((usage.ru_utime + usage.ru_stime) * 1000, 2),
                  round(usage.ru_maxrss / 1024, 1), os.waitstatus_to_exitcode(status), len(out),
                  out.count(b"\n"))  # fmt: skip


def mentorkit() -> str:
    found = shutil.which("mentorkit", path=str(Path(sys.executable).parent)) or shutil.which("mentorkit")
    if not found:
        sys.exit("mentorkit is not installed in this environment: pip install -e .")
    return found


def has_command(exe: str, name: str) -> bool:
    return spawn([exe, name, "--help"], child_env()).exit_code == 0


def time_alternating(specs: list[tuple[str, list[str], dict[str, str]]], runs: int, warmup: int,
                     before_each: Mapping[str, Callable[[], object]] | None = None) -> dict[str, Timing]:  # fmt: skip
    """Time several commands, one run of each in turn, after `warmup` untimed rounds."""
    timings = {name: Timing(name, " ".join(argv[1:]) if argv else "") for name, argv, _ in specs}
    for round_ in range(warmup + runs):
        for name, argv, env in specs:
            if before_each and name in before_each:
                before_each[name]()
            sample = spawn(argv, env)
            if round_ >= warmup:
                timings[name].samples.append(sample)
    return timings


def pick_mentor(store: Path) -> int:
    """The active mentor (not a peer) whose history is closest to the median: `show` target."""
    conn = sqlite3.connect(store)
    rows = conn.execute(
        "SELECT m.id, (SELECT count(*) FROM meeting WHERE mentor_id = m.id) AS n FROM mentor m "
        "WHERE m.stage = 'active' AND m.kind = 'mentor' ORDER BY n, m.id"
    ).fetchall()
    conn.close()
    return int(rows[len(rows) // 2][0])


def machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("typer", "rich", "pydantic"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            versions[package] = "?"
    try:
        task = subprocess.run(["task", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        task = None
    mem_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "taskwarrior": task, **versions,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }  # fmt: skip


def taskwarrior_setup(store: Path, exe: str) -> tuple[dict[str, str], str, int] | None:
    """A TASKDATA holding the store's open follow-ups as pending tasks (same texts and due dates)."""
    if not shutil.which("task"):
        return None
    base = OUT / "taskwarrior"
    data = base / "data"
    conn = sqlite3.connect(store)
    rows = conn.execute(
        "SELECT f.uuid, f.text, f.due_on, f.created_at, m.name FROM followup f "
        "LEFT JOIN mentor m ON m.id = f.mentor_id WHERE f.status = 'open' ORDER BY f.id"
    ).fetchall()
    conn.close()
    zone = ZoneInfo(ZONE)
    env = child_env({"TASKDATA": str(data), "TASKRC": str(base / "taskrc")})
    marker = base / "loaded.json"
    key = {"store": str(store), "mtime": store.stat().st_mtime, "tasks": len(rows)}
    if not (marker.exists() and json.loads(marker.read_text()) == key):
        shutil.rmtree(base, ignore_errors=True)
        data.mkdir(parents=True)
        (base / "taskrc").write_text(f"data.location={data}\nconfirmation=no\nnews.version=2.6.2\n")
        with open(base / "tasks.json", "w") as handle:
            for uid, text, due_on, created, mentor in rows:
                task = {"uuid": uid, "status": "pending", "description": text, "project": "mentoring",
                        "tags": ["mentor"], "entry": created.replace("-", "").replace(":", "")}  # fmt: skip
                if mentor:
                    task["description"] = f"{text} ({mentor})"
                if due_on:
                    local_midnight = datetime.combine(date.fromisoformat(due_on), datetime.min.time(), zone)
                    task["due"] = local_midnight.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
                handle.write(json.dumps(task) + "\n")
        started = time.perf_counter()
        subprocess.run(["task", "rc.hooks=off", "import", str(base / "tasks.json")], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # fmt: skip
        key["import_seconds"] = round(time.perf_counter() - started, 1)
        marker.write_text(json.dumps(key))
    loaded = json.loads(marker.read_text())
    horizon = (datetime.now(zone).date() + timedelta(days=8)).isoformat()  # = followups' 7-day window
    return env, horizon, int(loaded["tasks"])


def growth_specs(exe: str, name: str, argv: list[str], ref: Path, big: Path,
                 ref_id: int, big_id: int) -> list[tuple[str, list[str], dict[str, str]]]:  # fmt: skip
    """The same read command on the reference store and on the 10x store (same mentor for show)."""
    ref_args = [a.replace("{mentor}", str(ref_id)) for a in argv]
    big_args = [a.replace("{mentor}", str(big_id)) for a in argv]
    return [
        (f"{name}", [exe, *ref_args], child_env({"MENTORKIT_DB": str(ref)})),
        (f"{name}@10x", [exe, *big_args], child_env({"MENTORKIT_DB": str(big)})),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--quick", action="store_true", help="3 runs, no 10x store, no import/export")
    parser.add_argument("--no-growth", action="store_true", help="skip the 10x store")
    parser.add_argument("--out", default=str(HERE / "results" / "latest"), help="results path without suffix")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs
    warmup = 1 if args.quick else args.warmup
    growth = not (args.quick or args.no_growth)
    exe = mentorkit()
    OUT.mkdir(exist_ok=True)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    info = machine()
    say(f"machine: {info['cpu']}, {info['cores']} cores, load {info['load_average_at_start']}")

    ref = STORES / "reference.db"
    stores = {"reference": ensure(ref, 1, progress=lambda line: say(f"  reference store: {line}"))}
    big = STORES / "growth10.db"
    if growth:
        stores["growth10"] = ensure(big, 10, progress=lambda line: say(f"  10x store: {line}"))
    mentor_id = pick_mentor(ref)
    ref_env = child_env({"MENTORKIT_DB": str(ref)})
    results: dict[str, Timing] = {}

    python = sys.executable
    specs: list[tuple[str, list[str], dict[str, str]]] = [
        ("python -c pass (floor)", [python, "-c", "pass"], ref_env),
        ("import typer (floor)", [python, "-c", "import typer"], ref_env),
        ("help", [exe, "--help"], ref_env),
        ("completion", [exe], child_env({"MENTORKIT_DB": str(ref), "_MENTORKIT_COMPLETE": "complete_bash",
                                         "COMP_WORDS": "mentorkit fo", "COMP_CWORD": "1"})),
        ("completion-zsh", [exe], child_env({"MENTORKIT_DB": str(ref), "_MENTORKIT_COMPLETE": "complete_zsh",
                                             "_TYPER_COMPLETE_ARGS": "mentorkit fo"})),
    ]  # fmt: skip
    reads: list[tuple[str, list[str]]] = [
        ("mentors", ["mentors"]), ("show", ["show", "{mentor}"]), ("board", ["board"]),
        ("followups", ["followups"]), ("followups --json", ["followups", "--json"]),
    ]  # fmt: skip
    have_review = has_command(exe, "review")
    if have_review:
        reads.append(("review", ["review"]))
    for name, command in reads:
        if growth:
            specs += growth_specs(exe, name, command, ref, big, mentor_id, pick_mentor(big))
        else:
            specs.append((name, [exe, *(a.replace("{mentor}", str(mentor_id)) for a in command)], ref_env))

    scratch = OUT / "scratch.db"  # `log` writes to a copy of the reference store
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    src = sqlite3.connect(ref)
    dst = sqlite3.connect(scratch)
    src.backup(dst)
    src.close()
    dst.close()
    specs.append((
        "log", [exe, "log", str(mentor_id), "--mode", "phone", "--minutes", "20", "--notes", "Benchmark call",
                "--followup", "Send the benchmark notes", "--due", "friday"], child_env({"MENTORKIT_DB": str(scratch)}),
    ))  # fmt: skip

    tw = taskwarrior_setup(ref, exe)
    comparison: dict[str, object] = {"available": tw is not None}
    if tw is not None:
        tw_env, horizon, tasks = tw
        specs.append(("task list", ["task", "limit:50", f"due.before:{horizon}", "list"], tw_env))
        say(f"taskwarrior: {tasks} pending tasks, `task limit:50 due.before:{horizon} list`")
    say(f"timing {len(specs)} commands, one run of each per round: {warmup} warm-up rounds, {runs} timed")
    results |= time_alternating(specs, runs, warmup)
    if tw is not None:
        task = results["task list"].walls
        task_median = statistics.median(task)
        comparison.update(tasks=tasks, horizon=horizon, task_median_ms=round(task_median, 1))
        for name in ("followups", "board"):
            mine = results[name].walls
            comparison[f"{name}_ratio"] = round(statistics.median(mine) / task_median, 2)
            # Robustness checks on a shared machine: the ratio within each round (a burst of load
            # hits both runs of a round), and the ratio of the fastest runs.
            comparison[f"{name}_ratio_paired"] = round(
                statistics.median(m / t for m, t in zip(mine, task, strict=True)), 2
            )
            comparison[f"{name}_ratio_fastest"] = round(min(mine) / min(task), 2)

    have_export = has_command(exe, "export") and not args.quick
    have_import = has_command(exe, "import") and not args.quick
    exchange: dict[str, object] = {"export": have_export, "import": have_import}
    if have_export:
        say("export --format json (3 runs)")
        export_file = OUT / "reference-export.json"
        results |= time_alternating(
            [("export", [exe, "export", "--format", "json", "-o", str(export_file)], ref_env)], 3, 1,
            before_each={"export": lambda: export_file.unlink(missing_ok=True)},
        )  # fmt: skip
        exchange["export_bytes"] = export_file.stat().st_size if export_file.exists() else None
        if have_import and export_file.exists():
            say("import of that export into an empty store (3 runs)")
            fresh = OUT / "imported.db"

            def clean() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{fresh}{suffix}").unlink(missing_ok=True)
                for backup in OUT.glob("imported.db.*.bak"):
                    backup.unlink()

            results |= time_alternating(
                [("import", [exe, "--db", str(fresh), "import", str(export_file), "--format", "json"], ref_env)],
                3, 1, before_each={"import": clean},
            )  # fmt: skip

    if not args.quick:
        say("memory sweep: every other command that reads much of the store, once each")
        results |= time_alternating(sweep_specs(exe, ref_env), 1, 0, before_each=SWEEP_CLEANUP)

    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report = assemble(results, comparison, stores, exchange, info, runs, warmup, growth, have_review, mentor_id)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(report))
    say(f"wrote {out.with_suffix('.md')} and {out.with_suffix('.json')}")
    print(markdown(report))
    return 0


SWEEP_OUT = OUT / "sweep-output"
SWEEP_CLEANUP = {f"once: {name}": (lambda: SWEEP_OUT.unlink(missing_ok=True)) for name in ("backup", "export ics")}


def sweep_specs(exe: str, env: dict[str, str]) -> list[tuple[str, list[str], dict[str, str]]]:
    """Commands outside the timed set that could hold a lot in memory (the budget is "any
    command"): one run each on the reference store, for peak memory and a rough time."""
    out = ["-o", str(SWEEP_OUT)]
    commands = {
        "export csv meetings": ["export", "--format", "csv", "--what", "meetings"],
        "export csv followups": ["export", "--format", "csv", "--what", "followups"],
        "export ics": ["export", "--format", "ics", *out],
        "export md": ["export", "--format", "md"],
        "backup": ["backup", str(SWEEP_OUT)],
        "doctor": ["doctor"],
        "search": ["search", "grant"],
        "followups --all": ["followups", "--all"],
        "review --since 10 years": ["review", "--since", "2016-11-01"],
        "meetings --limit 100000": ["meetings", "--past", "--limit", "100000"],
        "advice": ["advice"],
    }
    return [(f"once: {name}", [exe, *argv], env) for name, argv in commands.items()]


def assemble(results: dict[str, Timing], comparison: dict[str, object], stores: Mapping[str, object],
             exchange: dict[str, object], info: dict[str, object], runs: int, warmup: int, growth: bool,
             have_review: bool, mentor_id: int) -> dict[str, object]:  # fmt: skip
    timings = {name: timing.summary() for name, timing in results.items()}
    checks = []

    def check(what: str, measured: float | None, limit: float, unit: str) -> None:
        checks.append({"budget": what, "measured": measured, "limit": limit, "unit": unit,
                       "ok": measured is not None and measured <= limit})  # fmt: skip

    for name, (limit, unit, _) in BUDGETS.items():
        if name in timings:
            check(f"{name} median", timings[name]["median_ms"], limit, unit)  # type: ignore[arg-type]
        else:
            checks.append({"budget": f"{name} median", "measured": None, "limit": limit, "unit": unit,
                           "ok": None, "note": "command not present"})  # fmt: skip
    if comparison.get("available"):
        check("followups / task list", comparison["followups_ratio"], TASKWARRIOR_RATIO, "x")  # type: ignore[arg-type]
        check("board / task list", comparison["board_ratio"], TASKWARRIOR_RATIO, "x")  # type: ignore[arg-type]
    peaks = {n: t["peak_rss_mib"] for n, t in timings.items() if n != "task list" and "(floor)" not in n}
    heaviest = max(peaks, key=lambda n: peaks[n])  # type: ignore[arg-type,return-value]
    check(f"peak memory, any command (`{heaviest}`)", peaks[heaviest], PEAK_MIB, "MiB")  # type: ignore[arg-type]
    growth_rows = {}
    if growth:
        for name in list(timings):
            if name.endswith("@10x"):
                base = name.removesuffix("@10x")
                ratio = timings[name]["median_ms"] / timings[base]["median_ms"]  # type: ignore[operator]
                growth_rows[base] = round(ratio, 2)
                check(f"{base}: 10x store / reference", round(ratio, 2), GROWTH_RATIO, "x")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": info, "runs": runs, "warmup": warmup,
        "stores": stores, "show_mentor_id": mentor_id, "timings": timings, "taskwarrior": comparison,
        "growth": growth_rows, "exchange": exchange, "review_present": have_review, "budgets": checks,
    }  # fmt: skip


def markdown(report: dict[str, object]) -> str:
    m = report["machine"]
    assert isinstance(m, dict)
    lines = [
        f"# mentorkit benchmark, {report['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}; Python {m['python']}, "
        f"SQLite {m['sqlite']}, typer {m['typer']}, rich {m['rich']}; Taskwarrior {m['taskwarrior'] or 'absent'}. "
        f"Load average {m['load_average_at_start']} at the start, {m.get('load_average_at_end')} at the end.",
        f"Each command: {report['warmup']} warm-up runs, then {report['runs']} timed runs (export and import: 3; "
        "`once:` rows, a memory sweep of other commands: 1), each a fresh process; wall-clock milliseconds.",
        "",
    ]
    stores = report["stores"]
    assert isinstance(stores, dict)
    for name, store in stores.items():
        counts = store["counts"]
        lines.append(
            f"- {name} store: {counts['mentor']:,} mentors, {counts['meeting']:,} meetings, {counts['followup']:,} "
            f"follow-ups ({counts['open_followups']:,} open), {counts['advice']:,} advice; "
            f"{store['bytes'] / MIB:.0f} MiB; built through the domain in {store['build_seconds']:.0f} s"
        )
    lines += ["", "| command | median ms | min | max | stdev | CPU ms | peak MiB | lines out |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    timings = report["timings"]
    assert isinstance(timings, dict)
    for name, t in timings.items():
        lines.append(
            f"| `{name}` | {t['median_ms']:.0f} | {t['min_ms']:.0f} | {t['max_ms']:.0f} | {t['stdev_ms']:.0f} | "
            f"{t['cpu_median_ms']:.0f} | {t['peak_rss_mib']:.0f} | {t['out_lines']} |"
        )
    tw = report["taskwarrior"]
    assert isinstance(tw, dict)
    lines.append("")
    if tw.get("available"):
        lines.append(
            f"Taskwarrior, {tw['tasks']:,} pending tasks (the store's open follow-ups), "
            f"`task limit:50 due.before:{tw['horizon']} list`: median {tw['task_median_ms']:.0f} ms. "
            f"Ratio `mentorkit followups` / task: **{tw['followups_ratio']}**; `mentorkit board` / task: "
            f"**{tw['board_ratio']}** (all commands take turns, one run each per round). Same runs, median of the "
            f"per-round ratios: followups {tw['followups_ratio_paired']}, board {tw['board_ratio_paired']}; "
            f"fastest against fastest: followups {tw['followups_ratio_fastest']}, board {tw['board_ratio_fastest']}."
        )
    else:
        lines.append("Taskwarrior is not installed: no comparison (apt-get install taskwarrior).")
    exchange = report["exchange"]
    assert isinstance(exchange, dict)
    if not exchange.get("export"):
        lines.append("`export` is not available in this build: not timed.")
    if not exchange.get("import"):
        lines.append("`import` is not available in this build: not timed.")
    if not report["review_present"]:
        lines.append("`review` is not available in this build: not timed.")
    lines += ["", "## Budgets", "", "| budget | measured | limit | |", "|---|---:|---:|---|"]
    budgets = report["budgets"]
    assert isinstance(budgets, list)
    for b in budgets:
        verdict = {True: "ok", False: "**over**", None: "not measured"}[b["ok"]]
        measured = "—" if b["measured"] is None else f"{b['measured']} {b['unit']}"
        lines.append(f"| {b['budget']} | {measured} | {b['limit']} {b['unit']} | {verdict} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
