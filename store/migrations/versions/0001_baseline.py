"""Baseline: datasets, their immutable versions and the versions' allocation rows.

The schema :func:`sqlalchemy.MetaData.create_all` made before migrations existed; such a
database is stamped with this revision instead of being migrated (see ``env.py``).

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dataset_id", sa.Integer, sa.ForeignKey("dataset.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("base_number", sa.Integer),
        sa.Column("restored_from", sa.Integer),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("total_eur", sa.BigInteger, nullable=False),
        sa.Column("national_eur", sa.BigInteger, nullable=False),
        sa.Column("regional_eur", sa.BigInteger, nullable=False),
        sa.Column("n_warnings", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        # one version number per dataset: decides concurrent publishes
        sa.UniqueConstraint("dataset_id", "number", name="uq_version_number"),
    )
    op.create_table(
        "allocation",
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("source_row", sa.Integer, nullable=False),
        sa.Column("reference", sa.String(100), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("window", sa.String(3), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("countries", sa.Text, nullable=False),
        sa.Column("objectives", sa.Text, nullable=False),
        sa.Column("valletta_domains", sa.Text, nullable=False),
        sa.Column("theme", sa.Text),
        sa.Column("amount_eur", sa.BigInteger, nullable=False),
        sa.Column("amount_basis", sa.String(10), nullable=False),
        sa.Column("approval_date", sa.Date),
        sa.Column("dialogue_round", sa.Integer),
        sa.Column("round_basis", sa.String(10)),
        sa.Column("implementing_partner", sa.Text),
        sa.Column("source", sa.Text),
    )


def downgrade() -> None:
    """Drop the three tables (and every version in them)."""
    op.drop_table("allocation")
    op.drop_table("version")
    op.drop_table("dataset")
