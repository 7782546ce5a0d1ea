"""The errors a user can cause, and the exit codes they map to.

Every problem that bad input, a missing record or an unusable store can cause is raised as a
`MentorkitError`. The CLI's single error boundary (`mentorkit.cli.app`) turns it into one line on
stderr and `EXIT_ERROR`. Messages must say what is wrong and how to fix it, and must never quote
the text of a note: error output is often pasted into bug reports.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # bad input, unknown record, unusable store: the user can fix it
EXIT_USAGE = 2  # wrong options or arguments (Click's own convention)
EXIT_INTERNAL = 70  # a bug in mentorkit (EX_SOFTWARE)

# Where a person reads how to report a bug: a section of the README (what to include, how to
# get the details with MENTORKIT_DEBUG=1, what to leave out because notes may be private).
REPORTING = 'see "Reporting a problem" in mentorkit\'s README'


class MentorkitError(Exception):
    """A problem the user can fix. `str(error)` is the one line shown to them."""


class NotFound(MentorkitError):
    """A record named on the command line does not exist."""


class Ambiguous(MentorkitError):
    """A name matches more than one record."""


class InvalidInput(MentorkitError):
    """A value (date, zone, cadence, option) cannot be understood."""


class StoreError(MentorkitError):
    """The store cannot be opened, read or written safely."""


class StoreBusy(StoreError):
    """Another mentorkit process held the store for longer than the busy timeout."""


class StoreTooNew(StoreError):
    """The store was written by a newer mentorkit."""
