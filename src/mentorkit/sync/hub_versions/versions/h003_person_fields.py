"""A person's title and profile URL (store schema 12) on the hub.

Revision ID: h003
Revises: h002
"""

from __future__ import annotations

from alembic import op

from mentorkit.sync.schema import add_hub_column

revision = "h003"
down_revision = "h002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_hub_column(op, "mentor", "title")
    add_hub_column(op, "mentor", "profile_url")
