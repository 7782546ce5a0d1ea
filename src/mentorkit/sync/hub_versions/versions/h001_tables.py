"""The hub's first tables: every record table of store schema 10, and the sequence of positions.

Revision ID: h001
Revises:
"""

from __future__ import annotations

from alembic import op

from mentorkit.sync.schema import SCHEMA, SEQUENCE, create_hub_table

revision = "h001"
down_revision = None
branch_labels = None
depends_on = None

T, B = "text", "bigint"
STAMPS = [("created_at", T), ("updated_at", T)]

TABLES: list[tuple[str, list[str], list[tuple[str, str]]]] = [
    (
        "profile",
        ["uuid"],
        [
            ("name", T),
            ("role", T),
            ("institution", T),
            ("timezone", T),
            ("story", T),
            ("date_order", T),
            *STAMPS,
            ("email", T),
        ],
    ),
    ("arena", ["uuid"], [("name", T), ("description", T), *STAMPS, ("story", T), ("request", T)]),
    ("goal", ["uuid"], [("arena_uuid", T), ("text", T), *STAMPS]),
    (
        "mentor",
        ["uuid"],
        [
            ("name", T),
            ("kind", T),
            ("email", T),
            ("institution", T),
            ("location", T),
            ("timezone", T),
            ("is_local", B),
            ("stage", T),
            ("stage_changed_at", T),
            ("pilot_review_on", T),
            ("end_reason", T),
            ("source", T),
            ("channels", T),
            ("cadence", T),
            ("cadence_label", T),
            ("notes", T),
            *STAMPS,
            ("hook", T),
        ],
    ),
    ("mentor_arena", ["mentor_uuid", "arena_uuid"], []),
    ("mentor_tag", ["mentor_uuid", "tag"], []),
    ("stage_change", ["uuid"], [("mentor_uuid", T), ("stage", T), ("changed_at", T), ("reason", T)]),
    ("mgroup", ["uuid"], [("name", T), ("cadence", T), ("cadence_label", T), ("notes", T), *STAMPS]),
    ("group_member", ["group_uuid", "mentor_uuid"], []),
    (
        "meeting",
        ["uuid"],
        [
            ("mentor_uuid", T),
            ("group_uuid", T),
            ("starts_at", T),
            ("timezone", T),
            ("minutes", B),
            ("mode", T),
            ("status", T),
            ("agenda", T),
            ("notes", T),
            ("summary_sent_at", T),
            *STAMPS,
            ("time_given", B),
            ("series", T),
        ],
    ),
    (
        "followup",
        ["uuid"],
        [
            ("text", T),
            ("owner", T),
            ("due_on", T),
            ("status", T),
            ("mentor_uuid", T),
            ("group_uuid", T),
            ("meeting_uuid", T),
            ("created_at", T),
            ("done_at", T),
            ("updated_at", T),
        ],
    ),
    (
        "advice",
        ["uuid"],
        [
            ("text", T),
            ("mentor_uuid", T),
            ("arena_uuid", T),
            ("meeting_uuid", T),
            ("given_on", T),
            ("outcome", T),
            ("outcome_note", T),
            ("rated_at", T),
            *STAMPS,
        ],
    ),
    (
        "pitch",
        ["uuid"],
        [
            ("arena_uuid", T),
            ("mentor_uuid", T),
            ("request", T),
            ("body", T),
            ("template", T),
            ("sent_on", T),
            ("response", T),
            ("responded_on", T),
            *STAMPS,
        ],
    ),
    (
        "flag",
        ["uuid"],
        [("mentor_uuid", T), ("kind", T), ("note", T), ("raised_on", T), ("resolved_on", T), *STAMPS],
    ),
]


def upgrade() -> None:
    op.execute(f"CREATE SEQUENCE {SCHEMA}.{SEQUENCE}")
    for name, identity, data in TABLES:
        create_hub_table(op, name, identity, data)
