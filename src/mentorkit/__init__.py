"""mentorkit: keep a personal board of directors, its meetings and follow-ups."""

__version__ = "0.1.0"
