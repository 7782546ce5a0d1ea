"""Business rules. Functions take an sqlite3 connection (and `now` where time matters) and
return plain dataclasses. Nothing here imports typer or rich."""
