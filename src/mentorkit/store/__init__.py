"""Storage: the SQLite store, its schema migrations and the SQLModel record models."""
