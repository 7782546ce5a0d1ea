"""A real wall-clock bound on a user template's render: it runs in a child process, stopped at
the limit, whatever it does.

The sandbox checks its time only between steps (loop iterations, calls, filters), so one step
that takes long, such as comparing two lists nested sixty deep or `wordwrap(1)` over a million
characters, ran for minutes. A forked child inherits the template's data as it is in memory (no
copy is pickled), renders, and sends back the text or the one-line error through a pipe; the
parent waits at most `seconds` and then kills it with SIGKILL. The child never touches the store
(it leaves with `os._exit`, so the parent's connection, files and buffers are left alone).

Only templates the user wrote run here; mentorkit's own defaults render in process (drafting
stays as fast as before). Without `os.fork` (Windows) the render runs in process, bounded by the
sandbox's own checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import time
from collections.abc import Callable

from mentorkit.errors import InvalidInput

_READ = 1 << 16


class TimeLimit(Exception):
    """The child ran past its time and was stopped."""


def run_bounded(work: Callable[[], str], seconds: float) -> str:
    """`work()` in a child process, at most `seconds` of wall-clock time. Its `InvalidInput`
    comes back as the same error; running out of time raises `TimeLimit`."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no return from this branch
        code = 0
        try:
            os.close(read_end)
            try:
                payload = {"text": work()}
            except InvalidInput as exc:
                payload = {"error": str(exc)}
            data = json.dumps(payload).encode("ascii")  # json escapes all else, lone surrogates too
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        data = _read_until(read_end, time.monotonic() + seconds)
    except BaseException:
        _stop(pid)
        raise
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if not data or os.waitstatus_to_exitcode(status) != 0:
        raise InvalidInput(
            "the template stopped without an answer (it ran out of memory?); simplify it, or start "
            "again from the default (`mentorkit templates show NAME --default`)"
        )
    payload = json.loads(data)
    if "error" in payload:
        raise InvalidInput(payload["error"])
    text: str = payload["text"]
    return text


def _read_until(fd: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeLimit
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, _READ)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _stop(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
