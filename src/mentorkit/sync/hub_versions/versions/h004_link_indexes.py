"""Indexes on the hub's link columns: finding the live records that name a deleted one costs the
same on a hub of any size (without them, a sync that deletes read whole tables).

Revision ID: h004
Revises: h003
"""

from __future__ import annotations

from alembic import op

from mentorkit.sync.schema import index_hub_links

revision = "h004"
down_revision = "h003"
branch_labels = None
depends_on = None

LINKS = {
    "goal": ["arena_uuid"],
    "mentor_arena": ["arena_uuid"],  # mentor_uuid leads the primary key
    "stage_change": ["mentor_uuid"],
    "group_member": ["mentor_uuid"],
    "meeting": ["mentor_uuid", "group_uuid"],
    "followup": ["mentor_uuid", "group_uuid", "meeting_uuid"],
    "advice": ["mentor_uuid", "arena_uuid", "meeting_uuid"],
    "pitch": ["arena_uuid", "mentor_uuid"],
    "flag": ["mentor_uuid"],
    "milestone": ["goal_uuid"],  # h002's tables and columns
    "goal_mentor": ["mentor_uuid"],
    "agreement": ["mentor_uuid"],
}
GOAL_LINKS = ("meeting", "advice", "followup")  # h002 gave each a goal_uuid


def upgrade() -> None:
    for table, columns in LINKS.items():
        index_hub_links(op, table, columns)
    for table in GOAL_LINKS:
        index_hub_links(op, table, ["goal_uuid"])
