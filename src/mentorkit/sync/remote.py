"""The hub's side of a sync, inside one PostgreSQL transaction holding the owner's advisory lock.

Push, per record and field: a field whose hub version this device had already pulled when it
changed it (no other device changed it since) simply takes the pushed value. Otherwise the two
changes are concurrent and the later one wins: the pushed value is taken when its clock is later
than the hub's clock of that field (`[instant, device, n]` compared in that order), otherwise the
hub's value stays and the device pulls it back (its own value stays in its journal). To know
what a device had pulled, each field's clock on the hub carries a fourth element, the hub's
position when the sync that wrote it began: a device whose last pull is past it has seen it. A delete is refused when another device changed the record
after this device last pulled (the edit wins) or when a live record still names it; a live record
pushed against a deleted one brings it back. Then records that are one by their natural key
(`schema.NATURAL`) are folded into the one with the smaller uuid. Pull: the rows other devices
changed since this device's last position, and the rows this push did not win.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mentorkit.sync.local import Clock, Outgoing
from mentorkit.sync.schema import NATURAL, SCHEMA, SEQUENCE, HubTable

NEXT = f"nextval('{SCHEMA}.{SEQUENCE}')"


@dataclass
class Outcome:
    pushed: dict[str, int] = field(default_factory=dict)  # table -> records the hub took
    resolved: list[tuple[str, str, str]] = field(default_factory=list)  # (table, uuid/key, what happened)
    revisit: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict)  # rows to pull back


def _seen_by(clock: Any, pulled: int) -> bool:
    """Whether a device whose last pull reached `pulled` had this field version of the hub (a
    clock written before positions were kept in clocks is not known to have been seen)."""
    return bool(pulled) and isinstance(clock, list) and len(clock) > 3 and pulled > int(clock[3])


def _key(clock: Any) -> tuple[str, str, int]:
    if not clock:
        return ("", "", -1)
    return (str(clock[0]), str(clock[1]), int(clock[2]))


def _q(name: str) -> str:
    return f'{SCHEMA}."{name}"'


def _cols(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


class Remote:
    def __init__(self, cur: Any, tables: list[HubTable], device: str, pulled: int, now: str) -> None:
        self.cur = cur
        self.tables = tables
        self.by_name = {t.name: t for t in tables}
        self.device = device
        self.pulled = pulled
        self.now = now
        self.outcome = Outcome()
        self.start = 0  # the hub's position when this sync took the lock (see `_stamp`)
        self._live: dict[str, list[dict[str, Any]]] = {}  # rows this push left live, by table
        self._gone: dict[str, set[str]] = {}  # records this push deleted, by table

    def lock(self) -> None:
        """Serialise the syncs of one owner: a second device waits here until the first commits."""
        self.cur.execute("SELECT pg_advisory_xact_lock(hashtext(current_user))")
        self.start = self._position()

    def _position(self) -> int:
        self.cur.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SCHEMA}.{SEQUENCE}")
        return int(self.cur.fetchone()[0])

    def _stamp(self, clock: Clock | None) -> Clock:
        """A clock as the hub keeps it: `[instant, device, n, position]`, the position being the
        hub's when this sync began. Syncs of one owner are serialised, so any device whose last
        pull is past that position pulled after this sync and had this version."""
        base = list(clock[:3]) if clock else [self.now, self.device, 0]
        return [*base, self.start]

    def _columns(self, table: HubTable) -> list[str]:
        return [c.hub for c in table.columns]

    def _existing(self, table: HubTable, idents: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], dict[str, Any]]:
        found: dict[tuple[Any, ...], dict[str, Any]] = {}
        first = table.identity[0].hub
        names = [*self._columns(table), "deleted", "clock", "seq", "device"]
        select = _cols(names)
        wanted = set(idents)
        for start in range(0, len(idents), 5000):
            part = sorted({i[0] for i in idents[start : start + 5000]})
            self.cur.execute(
                f'SELECT {select} FROM {_q(table.name)} WHERE owned_by = current_user AND "{first}" = ANY(%s) '
                "FOR UPDATE",
                (part,),
            )
            for values in self.cur.fetchall():
                row = dict(zip(names, values, strict=True))
                ident = tuple(row[c.hub] for c in table.identity)
                if ident in wanted:
                    found[ident] = row
        return found

    def _write(self, table: HubTable, rows: Iterable[dict[str, Any]]) -> int:
        names = self._columns(table)
        identity = ", ".join(f'"{c.hub}"' for c in table.identity)
        cols = [*names, "deleted", "clock", "device"]
        updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in [*cols, "seq"] if c not in identity)
        statement = (
            f"INSERT INTO {_q(table.name)} ({_cols(cols)}, seq) "
            f"VALUES ({', '.join(['%s'] * len(cols))}, {NEXT}) "
            f"ON CONFLICT (owned_by, {identity}) DO UPDATE SET {updates}"
        )
        params = [[*(r.get(n) for n in names), bool(r["deleted"]), json.dumps(r["clock"]), self.device] for r in rows]
        if params:
            self.cur.executemany(statement, params)
        return len(params)

    def _revisit(self, table: HubTable, ident: tuple[Any, ...]) -> None:
        self.outcome.revisit.setdefault(table.name, set()).add(ident)

    # --- push -----------------------------------------------------------------------------------

    def push(self, outgoing: dict[str, list[Outgoing]]) -> None:
        for table in self.tables:
            records = outgoing.get(table.name, [])
            if not records:
                continue
            existing = self._existing(table, [r.identity for r in records])
            writes = []
            for rec in records:
                merged = self._merge(table, rec, existing.get(rec.identity))
                if merged is not None:
                    writes.append(merged)
            self.outcome.pushed[table.name] = self._write(table, writes)
            self._live[table.name] = [w for w in writes if not w["deleted"]]
            if table.has_uuid:
                self._gone[table.name] = {w["uuid"] for w in writes if w["deleted"]}

    def _merge(self, table: HubTable, rec: Outgoing, old: dict[str, Any] | None) -> dict[str, Any] | None:
        ident = rec.identity
        shown = str(ident[0]) if table.has_uuid else "/".join(str(i) for i in ident)
        if rec.deleted:
            if old is None or old["deleted"]:
                return None
            if table.has_uuid and old["seq"] > self.pulled and old["device"] != self.device:
                self.outcome.resolved.append((table.name, shown, "kept: changed on another device, deleted here"))
                self._revisit(table, ident)
                return None
            if not table.has_uuid and not self._wins(rec.clocks.get("deleted"), old["clock"].get("deleted")):
                self._revisit(table, ident)
                return None
            return {
                **old,
                "deleted": True,
                "clock": {**old["clock"], "deleted": self._stamp(rec.clocks.get("deleted"))},
            }
        if not table.has_uuid:  # a link row: present or not, the later change wins
            if old is None or (old["deleted"] and self._wins(rec.clocks.get("deleted"), old["clock"].get("deleted"))):
                return {**rec.values, "deleted": False, "clock": {"deleted": self._stamp(rec.clocks.get("deleted"))}}
            if old["deleted"]:
                self._revisit(table, ident)
            return None
        if old is None:
            base = rec.first_clock or [self.now, self.device, 0]
            clock = {c.hub: self._stamp(rec.clocks.get(c.hub, base)) for c in table.data} | {
                "deleted": self._stamp(rec.clocks.get("deleted", base))
            }
            return {**rec.values, "deleted": False, "clock": clock}
        row = dict(old)
        clock = dict(old["clock"])
        changed = False
        lost = False
        seen = old["seq"] <= self.pulled  # this device changed the hub's version: no conflict
        for name, stamp in rec.clocks.items():
            if name == "deleted":
                continue
            if (seen and self.pulled) or self._wins(stamp, clock.get(name)):
                if row.get(name) != rec.values.get(name):
                    changed = True
                row[name] = rec.values.get(name)
                clock[name] = self._stamp(stamp)
            elif row.get(name) != rec.values.get(name):
                lost = True
        if old["deleted"]:
            changed = True
            row["deleted"] = False
            clock["deleted"] = self._stamp(rec.clocks.get("deleted") or rec.first_clock)
            if old["device"] != self.device:
                self.outcome.resolved.append((table.name, shown, "kept: edited here, deleted on another device"))
        if lost:
            self.outcome.resolved.append((table.name, shown, "a later change from another device kept some fields"))
            self._revisit(table, ident)
        if not changed:
            if not lost and old["seq"] > self.pulled and old["device"] != self.device:
                self._revisit(table, ident)
            return None
        if old["seq"] > self.pulled and old["device"] != self.device:
            self._revisit(table, ident)  # other fields changed elsewhere since this device pulled
        row["clock"] = clock
        row["device"] = self.device
        return row

    def _wins(self, pushed: Any, held: Any) -> bool:
        """Whether a pushed field change replaces the hub's: made on top of the hub's version
        (this device had pulled it), or concurrent with it and later."""
        return _seen_by(held, self.pulled) or _key(pushed) > _key(held)

    # --- what deletes may not break -------------------------------------------------------------

    def keep_referenced(self) -> None:
        """Bring back deleted records that live records name: the parents of the records this
        push wrote, and the records it deleted that another device's records still name; then
        their parents in turn. Only those are looked at (the hub indexes every link column), so
        an incremental sync costs the same on a hub of any size."""
        named: dict[str, set[str]] = {}
        for table in self.tables:
            for row in self._live.get(table.name, ()):
                for col in table.refs:
                    if row.get(col.hub) is not None and col.ref in self.by_name:
                        named.setdefault(col.ref or "", set()).add(row[col.hub])
        for parent, gone in self._gone.items():
            for child in self.tables:
                for col in child.refs:
                    if col.ref != parent:
                        continue
                    self.cur.execute(
                        f'SELECT DISTINCT "{col.hub}" FROM {_q(child.name)} WHERE owned_by = current_user '
                        f'AND NOT deleted AND "{col.hub}" = ANY(%s)',
                        (sorted(gone),),
                    )
                    for (uid,) in self.cur.fetchall():
                        named.setdefault(parent, set()).add(uid)
        while named:
            parents: dict[str, set[str]] = {}
            for name, uuids in named.items():
                table = self.by_name[name]
                if not table.has_uuid:
                    continue
                refs = [c.hub for c in table.refs]
                self.cur.execute(
                    f"UPDATE {_q(name)} SET deleted = false, seq = {NEXT}, device = %s, "
                    "clock = clock || jsonb_build_object('deleted', jsonb_build_array(%s::text, %s::text, 0, %s::bigint)) "
                    f"WHERE owned_by = current_user AND deleted AND uuid = ANY(%s) RETURNING {_cols(['uuid', *refs])}",
                    (self.device, self.now, self.device, self.start, sorted(uuids)),
                )
                for uid, *values in self.cur.fetchall():
                    self.outcome.resolved.append((name, uid, "kept: another record still names it"))
                    self._revisit(table, (uid,))
                    for col, value in zip(table.refs, values, strict=True):
                        if value is not None and col.ref in self.by_name:
                            parents.setdefault(col.ref or "", set()).add(value)
            named = parents

    # --- the same record made on two devices ----------------------------------------------------

    def fold_duplicates(self) -> None:
        for name, key in NATURAL.items():
            table = self.by_name.get(name)
            if table is None:
                continue
            cols = [*self._columns(table), "clock"]
            self.cur.execute(
                f"SELECT {_cols(cols)} FROM {_q(name)} WHERE owned_by = current_user AND NOT deleted ORDER BY uuid"
            )
            groups: dict[Any, list[dict[str, Any]]] = {}
            for values in self.cur.fetchall():
                row = dict(zip(cols, values, strict=True))
                natural = "" if key == "singleton" else row[key]
                groups.setdefault(natural.lower() if isinstance(natural, str) else natural, []).append(row)
            for rows in groups.values():
                if len(rows) > 1:
                    self._fold(table, rows)

    def _fold(self, table: HubTable, rows: list[dict[str, Any]]) -> None:
        survivor, losers = rows[0], rows[1:]
        # A record never edited (a default arena of a new store) yields to an edited one; between
        # records none of which was edited, the oldest is kept as it is.
        edited = [r for r in rows if r.get("created_at") != r.get("updated_at")]
        edited = edited or [min(rows, key=lambda r: (str(r.get("created_at")), r["uuid"]))]
        merged = dict(survivor)
        clock = dict(survivor["clock"])
        for col in table.data:
            best = max(edited, key=lambda r: _key(r["clock"].get(col.hub)))
            merged[col.hub] = best[col.hub]
            clock[col.hub] = best["clock"].get(col.hub)
            if best is not survivor and best[col.hub] != survivor[col.hub]:  # new in this record
                clock[col.hub] = self._stamp(clock[col.hub])
        stamp = self._stamp(None)
        gone = [r["uuid"] for r in losers]
        self._write(table, [{**merged, "deleted": False, "clock": clock}])
        self._write(table, [{**r, "deleted": True, "clock": {**r["clock"], "deleted": stamp}} for r in losers])
        self._revisit(table, (survivor["uuid"],))
        for loser in gone:
            self._revisit(table, (loser,))
            self.outcome.resolved.append((table.name, loser, f"one record with {survivor['uuid']} (same {table.name})"))
        self._repoint(table, gone, survivor["uuid"], stamp)

    def _repoint(self, parent: HubTable, gone: list[str], survivor: str, stamp: Clock) -> None:
        for child in self.tables:
            for col in child.refs:
                if col.ref != parent.name:
                    continue
                if col in child.identity:  # a link row: its key changes, so a new row replaces it
                    names = [*self._columns(child), "deleted", "clock"]
                    self.cur.execute(
                        f"SELECT {_cols(names)} FROM {_q(child.name)} "
                        f'WHERE owned_by = current_user AND NOT deleted AND "{col.hub}" = ANY(%s)',
                        (gone,),
                    )
                    links = [dict(zip(names, v, strict=True)) for v in self.cur.fetchall()]
                    moved = [{**r, col.hub: survivor, "clock": {"deleted": stamp}} for r in links]
                    dropped = [{**r, "deleted": True, "clock": {"deleted": stamp}} for r in links]
                    self._write(child, dropped + moved)
                    for r in [*links, *moved]:
                        self._revisit(child, tuple(r[c.hub] for c in child.identity))
                    continue
                self.cur.execute(
                    f'UPDATE {_q(child.name)} SET "{col.hub}" = %s, seq = {NEXT}, device = %s, '
                    f"clock = clock || jsonb_build_object(%s::text, %s::jsonb) "
                    f'WHERE owned_by = current_user AND "{col.hub}" = ANY(%s) RETURNING uuid',
                    (survivor, self.device, col.hub, json.dumps(stamp), gone),
                )
                for (uid,) in self.cur.fetchall():
                    self._revisit(child, (uid,))

    # --- pull -----------------------------------------------------------------------------------

    def pull(self) -> tuple[dict[str, list[dict[str, Any]]], int]:
        """The rows to apply locally, by table, and the hub position they bring this device to."""
        rows: dict[str, list[dict[str, Any]]] = {}
        for table in self.tables:
            names = [*self._columns(table), "deleted"]
            select = _cols(names)
            self.cur.execute(
                f"SELECT {select} FROM {_q(table.name)} WHERE owned_by = current_user AND seq > %s AND device <> %s",
                (self.pulled, self.device),
            )
            found = {tuple(r[: len(table.identity)]): dict(zip(names, r, strict=True)) for r in self.cur.fetchall()}
            extra = [i for i in self.outcome.revisit.get(table.name, ()) if i not in found]
            if extra:
                for ident, row in self._existing(table, extra).items():
                    found[ident] = {n: row[n] for n in names}
            rows[table.name] = list(found.values())
        return rows, self._position()
