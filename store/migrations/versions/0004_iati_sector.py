"""IATI sectors stored with the version they were published in.

One row per ``<sector>`` of an IATI file's activities (``etl.iati_map.sectors_frame``: vocabulary,
code, percentage as written), written in the same transaction as the version's allocation rows.
Versions published before this revision, and every version of a file without sectors, have none.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``iati_sector`` (unless a store made by ``create_all`` of this schema already has it)."""
    if "iati_sector" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "iati_sector",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("line", sa.Integer),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(10), nullable=False),
        sa.Column("vocabulary", sa.String(20), nullable=False),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("percentage", sa.Numeric(9, 4)),
    )


def downgrade() -> None:
    """Drop the table (the versions' sectors are lost; their allocation rows are kept)."""
    op.drop_table("iati_sector")
