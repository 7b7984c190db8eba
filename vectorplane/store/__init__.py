"""The store: SQLAlchemy tables, Alembic migrations and the queries the API and reconciler use."""
