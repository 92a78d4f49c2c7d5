"""AI memory (ADR-006): the episodic journal with full-text search (and embeddings where
pgvector is installed) and the agents' distilled personas.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from xentri.kernel.db.rls import tenant_rls_statements

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TEXT_SEARCH_CONFIG = "xentri_text"
EMBEDDING_DIMENSIONS = 384


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    ]


def upgrade() -> None:
    # unaccent is a trusted extension: the owner role may create it. The configuration is
    # 'simple' (no stemming, no stop words: English and Spanish share one journal) with
    # accents folded, so "facturacion" finds "facturación".
    op.execute("create extension if not exists unaccent")
    op.execute(f"create text search configuration {TEXT_SEARCH_CONFIG} (copy = simple)")
    op.execute(
        f"alter text search configuration {TEXT_SEARCH_CONFIG} "
        "alter mapping for hword, hword_part, word with unaccent, simple"
    )
    # pgvector is not trusted: only a superuser creates it. Provisioning does (embedded and
    # test servers); a managed server's operator may have. Where it cannot be had, the journal
    # goes without its embedding column and search is full text only.
    op.execute(
        """
        do $$
        begin
          create extension if not exists vector;
        exception when insufficient_privilege or undefined_file or feature_not_supported then
          raise notice 'pgvector is not available: episodic memory searches by full text only';
        end
        $$
        """
    )

    op.create_table(
        "memory_episodes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("agent_id", sa.String(80), nullable=True),
        sa.Column("event_type", sa.String(120), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("source_event_id", sa.UUID(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                f"setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, title), 'A')"
                f" || setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, body), 'B')",
                persisted=True,
            ),
            nullable=True,
        ),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_memory_episodes"),
        sa.UniqueConstraint(
            "org_id", "source_event_id", name="uq_memory_episodes_org_id_source_event_id"
        ),
        sa.CheckConstraint(
            "kind in ('decision', 'outcome', 'conversation', 'event')",
            name="ck_memory_episodes_kind",
        ),
    )
    op.create_index(
        "ix_memory_episodes_org_id_occurred_at", "memory_episodes", ["org_id", "occurred_at"]
    )
    op.create_index(
        "ix_memory_episodes_search", "memory_episodes", ["search"], postgresql_using="gin"
    )
    op.execute(
        f"""
        do $$
        begin
          if exists (select 1 from pg_extension where extname = 'vector') then
            alter table memory_episodes add column embedding vector({EMBEDDING_DIMENSIONS});
          end if;
        end
        $$
        """
    )

    op.create_table(
        "agent_personas",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("org_id", sa.UUID(), nullable=False),
        sa.Column("agent_id", sa.String(80), nullable=False),
        sa.Column("persona", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("distilled_from_count", sa.Integer(), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_agent_personas"),
        sa.UniqueConstraint(
            "org_id", "agent_id", "version", name="uq_agent_personas_org_id_agent_id_version"
        ),
        sa.UniqueConstraint(
            "org_id", "agent_id", "slot", name="uq_agent_personas_org_id_agent_id_slot"
        ),
    )

    for table in ("memory_episodes", "agent_personas"):
        for statement in tenant_rls_statements(table):
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("agent_personas")
    op.drop_table("memory_episodes")
    op.execute(f"drop text search configuration if exists {TEXT_SEARCH_CONFIG}")
