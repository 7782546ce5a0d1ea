"""Build the benchmark stores through mentorkit's own domain code.

The reference store holds 1,000 mentors (100 of them near-peers in 20 mastermind groups),
100,000 meetings over ten years, 100,000 follow-ups of which 20,000 are open, and 20,000 pieces
of advice. The growth check's store (`REFERENCE.times(10)`) is the same board of 1,000 mentors
with ten times the history: 1,000,000 meetings, 1,000,000 follow-ups (200,000 open) and 200,000
pieces of advice. (Ten times the mentors would make `mentors` and `board` print ten times the
rows, which measures the terminal, not the store.) Every record is written by
the same functions the commands call (`add_mentor`, `set_stage`, `add_group`, `log_meeting`,
`plan_meeting`, `set_status`, `mark_summary_sent`, `add_followup`, `close_followup`,
`rate_advice`, `add_flag`), inside a few large write transactions, so the rows, the FTS index
and the stage history look exactly as if a (very busy) person had typed them.

Shape of the data, chosen so that the lists a person reads stay a screenful while the store is
large (the same reason Taskwarrior is timed with `limit:50`):
- Mentors join over the first nine years; ended relationships stop meeting when they end; active
  ones meet by their cadence up to the last weeks, and about 60% have a meeting planned.
- Follow-ups written at meetings are due 3-30 days later; all but some recent ones were done or
  dropped. The rest of the open items is a backlog of dated commitments spread over the next ten
  years (a few already due), so `mentorkit followups` and `task due.before:` both have all the
  open items to sift and about a hundred to show.
- In the denser stores, the chances that make an item visible today (a recent follow-up left
  open, a recent summary not sent, a backlog item due this week) shrink by the same factor, and
  the planned meetings stay 1,000: the daily lists show as much as in the reference store.
- The build is deterministic for a given seed and build time (`now`).
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from mentorkit.clock import to_db
from mentorkit.dates import get_zone
from mentorkit.domain.advice import rate_advice, record_advice
from mentorkit.domain.arenas import add_arena
from mentorkit.domain.flags import add_flag
from mentorkit.domain.followups import add_followup, close_followup
from mentorkit.domain.groups import add_group
from mentorkit.domain.meetings import log_meeting, mark_summary_sent, plan_meeting, set_status
from mentorkit.domain.mentors import MentorFields, add_mentor, set_stage
from mentorkit.domain.profile import set_profile
from mentorkit.store.db import Store, open_store

BUILDER_VERSION = 1  # bump when the shape of the data changes: cached stores are rebuilt
ZONE = "America/New_York"
YEARS = 10
BATCH = 20_000  # records per write transaction
EXTRA_ARENAS = ("teaching", "clinical", "leadership", "writing", "grants")
CADENCES = ("monthly", "monthly", "monthly", "quarterly", "biweekly", "every 6 weeks", "FREQ=MONTHLY;BYDAY=1TU")
CADENCE_DAYS = {"monthly": 30, "quarterly": 91, "biweekly": 14, "every 6 weeks": 42, "FREQ=MONTHLY;BYDAY=1TU": 30}
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Berlin",
         "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "Africa/Nairobi", "Asia/Kolkata")  # fmt: skip
FIRST = ("Teresa", "James", "Samuel", "Priya", "Helen", "Ana", "Ben", "Lena", "Omar", "Grace", "Wei", "Fatima",
         "Kofi", "Ingrid", "Mateo", "Yuki", "Nadia", "Arjun", "Chloe", "Tomas", "Amara", "Lucas", "Mei", "Elif")  # fmt: skip
LAST = ("Alvarez", "Whitfield", "Osei", "Raman", "Park", "Souza", "Carter", "Fischer", "Haddad", "Nguyen",
        "Okafor", "Schmidt", "Tanaka", "Mensah", "Kowalski", "Rossi", "Dubois", "Chen", "Patel", "Moreau")  # fmt: skip
INSTITUTIONS = ("Johns Hopkins University", "Rush University", "University of Washington", "Bayview University",
                "Guy's and St Thomas'", "Charite Berlin", "University of Toronto", "Kyoto University")  # fmt: skip
TOPICS = ("the K23 aims page", "the promotion dossier", "a difficult resident", "the R01 resubmission",
          "protecting writing time", "the teaching portfolio", "a conflict with a co-author", "the sim curriculum",
          "the grant budget", "saying no to committees", "the biostatistics plan", "a job offer elsewhere",
          "the manuscript revision", "clinic scheduling", "the conference talk", "leading a QI project")  # fmt: skip
ACTIONS = ("Send the revised draft of", "Read two papers on", "Draft one page about", "Ask the chair about",
           "Book a call about", "Share notes on", "Write the outline of", "Email the program officer about")  # fmt: skip
ADVICE = ("Narrow the question to one population before", "Find a co-mentor for", "Say no to anything that delays",
          "Keep a running log for", "Write the hardest part of first:", "Ask for feedback early on")  # fmt: skip
MODES = ("video",) * 6 + ("in-person",) * 2 + ("phone", "email", "email", "text", "conference")


REFERENCE_MEETINGS = 100_000


@dataclass(frozen=True)
class Scale:
    mentors: int = 1_000
    meetings: int = 100_000
    followups: int = 100_000
    open_followups: int = 20_000
    advice: int = 20_000

    def times(self, factor: int) -> Scale:
        """The same board with `factor` times the history (see `history_factor`)."""
        return Scale(self.mentors, self.meetings * factor, self.followups * factor,
                     self.open_followups * factor, self.advice * factor)  # fmt: skip

    @property
    def history_factor(self) -> float:
        """How much denser the history is than the reference store's (1 for the reference)."""
        return self.meetings / REFERENCE_MEETINGS


REFERENCE = Scale()


@dataclass
class Person:
    id: int
    joined: datetime
    stage: str
    kind: str = "mentor"
    cadence_days: int = 30
    ends: datetime | None = None
    last_meeting: datetime | None = None
    meetings: list[datetime] = field(default_factory=list)


@dataclass
class BuildReport:
    path: Path
    scale: Scale
    now: datetime
    seconds: float
    counts: dict[str, int]
    phases: dict[str, float]


def _sentence(rng: random.Random) -> str:
    topic = rng.choice(TOPICS)
    return rng.choice((
        f"We went through {topic}; agreed on the next two steps and a date to check back.",
        f"Talked about {topic}. Useful push-back on the framing, and a name to contact.",
        f"Short call on {topic}: what to drop, what to keep, who else should read it.",
        f"Long discussion of {topic}, then the usual check on time and energy.",
    ))  # fmt: skip


def _batches(store: Store, items: list, size: int = BATCH) -> Iterator[tuple[object, list]]:  # type: ignore[type-arg]
    for start in range(0, len(items), size):
        with store.write() as conn:
            yield conn, items[start : start + size]


def build(path: Path, scale: Scale = REFERENCE, *, now: datetime | None = None, seed: int = 7,
          progress: Callable[[str], None] = lambda _: None) -> BuildReport:  # fmt: skip
    """Write a new store at `path` (which must not exist) and return what was built."""
    if path.exists():
        raise FileExistsError(path)
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    zone = get_zone(ZONE)
    start = now - timedelta(days=365 * YEARS)
    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal clock
        phases[name] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()
        progress(f"{name}: {phases[name]:.1f} s")

    store = open_store(path)
    # A throwaway cache file: no fsync per transaction, a bigger page cache. The rows still go
    # through the domain functions; only the durability of the build itself is relaxed.
    store.conn.execute("PRAGMA synchronous = OFF")
    store.conn.execute("PRAGMA cache_size = -262144")
    try:
        people = _people(store, rng, scale, now, start, zone)
        groups = _groups(store, rng, scale, people, start, zone)
        phase("mentors and groups")
        held = _meetings(store, rng, scale, people, groups, now, zone)
        phase("meetings")
        _close_and_backlog(store, rng, scale, people, held, now, zone)
        phase("follow-ups")
        _rate_and_flag(store, rng, scale, people, now)
        phase("advice ratings and flags")
        with store.write() as conn:
            conn.execute("PRAGMA optimize")
        counts = {
            table: store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("mentor", "mgroup", "meeting", "followup", "advice", "flag")
        }
        counts["open_followups"] = store.conn.execute("SELECT count(*) FROM followup WHERE status = 'open'").fetchone()[
            0
        ]
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return BuildReport(path, scale, now, round(sum(phases.values()), 1), counts, phases)


def _people(store: Store, rng: random.Random, scale: Scale, now: datetime, start: datetime,
            zone) -> list[Person]:  # type: ignore[no-untyped-def]  # fmt: skip
    """Mentors and peers, with their stages, cadences and when they joined (and left)."""
    with store.write() as conn:
        set_profile(conn, start, name="Maya Okafor", role="Associate Professor of Emergency Medicine",
                    institution="Bayview University", timezone=ZONE, date_order="MDY",
                    story="Emergency physician studying returns to the ED after discharge.",
                    goals=["research=An R01 on transitions of care", "career=Promotion to full professor"])  # fmt: skip
        for name in EXTRA_ARENAS:
            add_arena(conn, start, name)
    arenas = ("research", "career", "personal", *EXTRA_ARENAS)
    n = scale.mentors
    peers = n // 10
    plan = (["active"] * (n * 28 // 100) + ["pilot"] * (n * 4 // 100) + ["paused"] * (n * 6 // 100)
            + ["prospect"] * (n * 18 // 100))  # fmt: skip
    plan += ["ended"] * (n - peers - len(plan))
    rng.shuffle(plan)
    people: list[Person] = []
    span = (now - start).total_seconds()
    for batch_start in range(0, n, BATCH):
        with store.write() as conn:
            for i in range(batch_start, min(n, batch_start + BATCH)):
                stage = "active" if i < peers else plan[i - peers]
                if stage == "pilot":
                    joined = now - timedelta(days=rng.uniform(10, 84))
                elif stage == "prospect":
                    joined = now - timedelta(days=rng.uniform(5, 700))
                else:
                    joined = start + timedelta(seconds=rng.uniform(0, span * 0.9))
                cadence = rng.choice(CADENCES) if stage in ("active", "pilot") and rng.random() < 0.85 else None
                fields = MentorFields(
                    name=f"Dr. {rng.choice(FIRST)} {rng.choice(LAST)} {i + 1}",
                    email=f"mentor{i + 1}@example.org",
                    institution=rng.choice(INSTITUTIONS),
                    timezone=rng.choice(ZONES),
                    local=rng.random() < 0.4,
                    stage="active" if stage in ("paused", "ended") else stage,
                    cadence=cadence,
                    source=rng.choice(("conference", "colleague", "LinkedIn", "podcast", "cold email")),
                    kind="peer" if i < peers else "mentor",
                    arenas=[] if i < peers else rng.sample(arenas, rng.choice((1, 1, 1, 2, 2, 3))),
                    tags=rng.sample(TOPICS, 2),
                    notes=_sentence(rng),
                )
                mentor = add_mentor(conn, joined, zone, fields)
                person = Person(mentor.id, joined, stage, fields.kind or "mentor",
                                CADENCE_DAYS.get(cadence or "", rng.choice((30, 60, 91))))  # fmt: skip
                if stage in ("paused", "ended"):
                    person.ends = joined + (now - joined) * rng.uniform(0.2, 0.95)
                    reason = "Moved on to other priorities" if stage == "ended" else None
                    set_stage(conn, person.ends, zone, mentor, stage, reason=reason)
                people.append(person)
    return people


def _groups(store: Store, rng: random.Random, scale: Scale, people: list[Person], start: datetime,
            zone) -> list[Person]:  # type: ignore[no-untyped-def]  # fmt: skip
    """Mastermind groups of five peers each; returned as `Person`s so they get meetings too."""
    peers = [p for p in people if p.kind == "peer"]
    groups = []
    with store.write() as conn:
        for g in range(len(peers) // 5):
            members = peers[g * 5 : g * 5 + 5]
            joined = max(m.joined for m in members)
            group = add_group(conn, joined, zone, f"Mastermind {g + 1}", [str(m.id) for m in members],
                              cadence="monthly", notes="One hot seat each month")  # fmt: skip
            groups.append(Person(group.id, joined, "active", kind="group", cadence_days=30))
    return groups


def _schedule(rng: random.Random, scale: Scale, people: list[Person], groups: list[Person],
              now: datetime) -> tuple[list[tuple[datetime, Person]], list[tuple[datetime, Person]]]:  # fmt: skip
    """When each meeting takes place: past ones (held, cancelled, missed) and planned ones."""
    planned_total = REFERENCE_MEETINGS // 100
    past_total = scale.meetings - planned_total
    everyone = [p for p in people if p.stage != "prospect" or rng.random() < 0.3] + groups
    for p in everyone:  # the last contact of an active relationship is at most ~1.2 cadences ago
        if p.stage in ("active", "pilot"):
            p.last_meeting = now - timedelta(days=rng.uniform(0.5, p.cadence_days * 1.2))
    ends = {id(p): p.ends or p.last_meeting or now - timedelta(days=rng.uniform(1, 200)) for p in everyone}
    weights = [max(1.0, (ends[id(p)] - p.joined).days) / p.cadence_days for p in everyone]
    total = sum(weights)
    past: list[tuple[datetime, Person]] = []
    for p, w in zip(everyone, weights, strict=True):
        count = max(1, round(past_total * w / total))
        first, last = p.joined + timedelta(hours=2), ends[id(p)]
        if last <= first:
            last = first + timedelta(hours=1)
        step = (last - first) / count
        for k in range(count):
            moment = last - step * k - (timedelta(0) if k == 0 else step * rng.uniform(-0.3, 0.3))
            past.append((max(first, min(moment, now - timedelta(hours=1))), p))
    rng.shuffle(past)
    past = past[:past_total]
    while len(past) < past_total:  # rounding: top up with the busiest relationships
        p = everyone[len(past) % len(everyone)]
        past.append((p.joined + (ends[id(p)] - p.joined) * rng.random(), p))
    active = [p for p in everyone if p.stage in ("active", "pilot")]
    with_plans = rng.sample(active, max(1, len(active) * 6 // 10))
    planned = [
        (now + timedelta(hours=rng.uniform(3, 24 * 120)), with_plans[i % len(with_plans)]) for i in range(planned_total)
    ]
    return sorted(past, key=lambda item: item[0]), planned


def _meetings(store: Store, rng: random.Random, scale: Scale, people: list[Person], groups: list[Person],
              now: datetime, zone) -> list[tuple[int, date, datetime]]:  # type: ignore[no-untyped-def]  # fmt: skip
    """Log every past meeting (with its advice and follow-ups) and plan the future ones.

    Returns the follow-ups written at meetings: (id, due date, created at).
    """
    past, planned = _schedule(rng, scale, people, groups, now)
    advice_share = scale.advice / (len(past) * 0.9)
    followups_left = scale.followups - scale.open_followups  # the backlog brings the rest
    per_meeting = followups_left / (len(past) * 0.94)
    unsent = 0.06 / scale.history_factor
    written: list[tuple[int, date, datetime]] = []
    advice_left = scale.advice
    for conn, chunk in _batches(store, past):
        for moment, p in chunk:
            is_group = p.kind == "group"
            target = {"group_id": p.id} if is_group else {"mentor_id": p.id}
            roll = rng.random()
            if roll < 0.03 or (0.03 <= roll < 0.05):
                status = "cancelled" if roll < 0.03 else "missed"
                plan = plan_meeting(conn, moment - timedelta(days=7), starts_at=moment, zone=zone,
                                    agenda=f"Catch up on {rng.choice(TOPICS)}", **target)  # fmt: skip
                set_status(conn, moment + timedelta(hours=1), plan.meeting.id, status)
                continue
            mode = rng.choice(MODES)
            n_follow = min(followups_left, int(per_meeting) + (rng.random() < per_meeting % 1))
            followups_left -= n_follow
            due = (moment + timedelta(days=rng.randint(3, 30))).astimezone(zone).date()
            advice = []
            if not is_group and advice_left > 0 and rng.random() < advice_share:
                advice = [f"{rng.choice(ADVICE)} {rng.choice(TOPICS)}"]
                advice_left -= 1
            logged = log_meeting(
                conn, moment + timedelta(hours=2), starts_at=moment, zone=zone, mode=mode,
                minutes=rng.choice((20, 30, 30, 45, 60)), notes=_sentence(rng),
                agenda=f"1. {rng.choice(TOPICS)}\n2. {rng.choice(TOPICS)}" if rng.random() < 0.5 else None,
                advice=advice, followups=[f"{rng.choice(ACTIONS)} {rng.choice(TOPICS)}" for _ in range(n_follow)],
                due=due if n_follow else None, owner="mentor" if rng.random() < 0.3 else "me", **target,
            )  # fmt: skip
            recent = now - moment < timedelta(days=30)
            if mode not in ("email", "text") and rng.random() > (unsent if recent else 0.03):
                mark_summary_sent(conn, moment + timedelta(hours=rng.uniform(3, 48)), logged.meeting.id)
            written += [(fid, due, moment + timedelta(hours=2)) for fid in logged.followup_ids]
    with store.write() as conn:
        for moment, p in planned:
            target = {"group_id": p.id} if p.kind == "group" else {"mentor_id": p.id}
            plan_meeting(conn, now, starts_at=moment, zone=zone, mode=rng.choice(MODES[:8]),
                         agenda=None if rng.random() < 0.3 else f"1. {rng.choice(TOPICS)}", **target)  # fmt: skip
        while advice_left > 0 and past:  # advice given outside meetings makes up the count
            moment, p = past[advice_left % len(past)]
            if p.kind != "group":
                record_advice(conn, moment, mentor_id=p.id, given_on=moment.astimezone(zone).date(),
                              text=f"{rng.choice(ADVICE)} {rng.choice(TOPICS)}")  # fmt: skip
            advice_left -= 1
    return written


def _close_and_backlog(store: Store, rng: random.Random, scale: Scale, people: list[Person],
                       written: list[tuple[int, date, datetime]], now: datetime, zone) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    """Close the follow-ups people finished, then add the open backlog to reach the target."""
    today = now.astimezone(zone).date()
    share = 0.3 / scale.history_factor
    keep_open = [item for item in written if item[1] >= today - timedelta(days=7) and rng.random() < share][
        : scale.open_followups
    ]
    open_ids = {item[0] for item in keep_open}
    to_close = [item for item in written if item[0] not in open_ids]
    for conn, chunk in _batches(store, to_close):
        for followup_id, due, created in chunk:
            done_at = min(now, datetime.combine(due, datetime.min.time(), UTC) + timedelta(days=rng.uniform(-2, 5)))
            close_followup(conn, max(done_at, created), followup_id, "done" if rng.random() < 0.85 else "dropped")
    owners = [p for p in people if p.stage != "prospect"]
    backlog = scale.open_followups - len(keep_open)
    extra_closed = scale.followups - len(written) - backlog
    due_soon = 60 / backlog  # about 60 backlog items overdue by up to two weeks or due this week
    items = []
    for k in range(backlog + extra_closed):
        who = rng.choice(owners)
        created = who.joined + (now - who.joined) * rng.random()
        if k < backlog:
            roll = rng.random()
            due = today + timedelta(days=rng.randint(-14, 7) if roll < due_soon else rng.randint(8, 3650))
        else:
            due = created.astimezone(zone).date() + timedelta(days=rng.randint(3, 60))
        items.append((who, created, due, k < backlog))
    for conn, chunk in _batches(store, items):
        for who, created, due, stays_open in chunk:
            fid = add_followup(conn, created, text=f"{rng.choice(ACTIONS)} {rng.choice(TOPICS)}", due=due,
                               owner="mentor" if rng.random() < 0.25 else "me", mentor_id=who.id)  # fmt: skip
            if not stays_open:
                close_followup(conn, min(now, created + timedelta(days=rng.uniform(1, 40))), fid, "done")


def _rate_and_flag(store: Store, rng: random.Random, scale: Scale, people: list[Person], now: datetime) -> None:
    """Rate 40% of the advice and raise red flags on some ended relationships."""
    with store.write() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM advice")]
    chosen = rng.sample(ids, len(ids) * 4 // 10)
    for conn, chunk in _batches(store, chosen):
        for advice_id in chunk:
            outcome = rng.choice(("helpful", "helpful", "mixed", "unhelpful"))
            rate_advice(conn, now - timedelta(days=rng.uniform(1, 300)), advice_id, outcome)
    ended = [p for p in people if p.stage == "ended"]
    with store.write() as conn:
        for p in rng.sample(ended, len(ended) // 5):
            assert p.ends is not None
            add_flag(conn, p.ends, mentor_id=p.id, note="Cancelled three times in a row",
                     kind=rng.choice(("commitment", "competition", "conflict-of-interest", "other")),
                     raised_on=p.ends.date())  # fmt: skip


def ensure(path: Path, factor: int = 1, *, progress: Callable[[str], None] = lambda _: None) -> dict:  # type: ignore[type-arg]
    """The cached store at `path` (built when missing or from another version of this builder).

    Beside it, `PATH.json` records how and when it was built; the benchmark reports that.
    """
    info_path = path.with_suffix(".json")
    if path.exists() and info_path.exists():
        info = json.loads(info_path.read_text())
        if info.get("builder") == BUILDER_VERSION and info.get("factor") == factor:
            upgrade(path, progress)
            return info  # type: ignore[no-any-return]
    for stale in (path, info_path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    report = build(path, REFERENCE.times(factor), progress=progress)
    info = {
        "builder": BUILDER_VERSION, "factor": factor, "built_at": to_db(report.now),
        "build_seconds": report.seconds, "phases": report.phases, "counts": report.counts,
        "bytes": path.stat().st_size,
    }  # fmt: skip
    info_path.write_text(json.dumps(info, indent=2) + "\n")
    return info


def upgrade(path: Path, progress: Callable[[str], None]) -> None:
    """Bring a cached store to the current schema before anything is timed (a migration added
    since it was built would otherwise run inside the first warm-up). mentorkit backs a store up
    before migrating it; that copy of the benchmark's own store (rebuilt from its seed whenever
    needed) is removed again, as it can be more than a gigabyte."""
    pattern = f"{path.name}.v*.bak"
    before = set(path.parent.glob(pattern))
    started = time.perf_counter()
    with open_store(path):
        pass
    made = set(path.parent.glob(pattern)) - before
    for backup in made:
        backup.unlink()
    if made:
        progress(f"upgraded to the current schema in {time.perf_counter() - started:.0f} s")


def main(argv: list[str]) -> int:
    """`python benchmarks/build_store.py PATH [FACTOR]`: build (or reuse) one store."""
    info = ensure(Path(argv[0]), int(argv[1]) if len(argv) > 1 else 1,
                  progress=lambda line: print(line, file=sys.stderr, flush=True))  # fmt: skip
    print(json.dumps(info, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
