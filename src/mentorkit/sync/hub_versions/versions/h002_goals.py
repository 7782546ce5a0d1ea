"""Goals with milestones, goal mentors, mentor roles and agreements (store schema 11, issue 19):
the goal's new columns, four new tables, and the goal a meeting, advice or follow-up serves.

Revision ID: h002
Revises: h001
"""

from __future__ import annotations

from alembic import op

from mentorkit.sync.schema import add_hub_column, create_hub_table

revision = "h002"
down_revision = "h001"
branch_labels = None
depends_on = None

T, B = "text", "bigint"
STAMPS = [("created_at", T), ("updated_at", T)]


def upgrade() -> None:
    for column in ("due_on", "measure", "status", "done_at"):
        add_hub_column(op, "goal", column)
    create_hub_table(op, "milestone", ["uuid"], [("goal_uuid", T), ("text", T), ("due_on", T), ("done_at", T), *STAMPS])
    create_hub_table(op, "goal_mentor", ["goal_uuid", "mentor_uuid"], [])
    create_hub_table(op, "mentor_role", ["mentor_uuid", "role"], [])
    create_hub_table(
        op,
        "agreement",
        ["uuid"],
        [
            ("mentor_uuid", T),
            ("text", T),
            ("agreed_on", T),
            ("review_on", T),
            ("cadence", T),
            ("cadence_label", T),
            ("minutes", B),
            ("channel", T),
            *STAMPS,
        ],
    )
    for table in ("meeting", "advice", "followup"):
        add_hub_column(op, table, "goal_uuid")
