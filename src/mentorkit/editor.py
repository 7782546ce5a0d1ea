"""Writing longer text in the user's $EDITOR, privately and without a shell."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from mentorkit.errors import InvalidInput


def editor_command() -> list[str]:
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or ""
    try:
        command = shlex.split(raw)
    except ValueError:
        raise InvalidInput("$EDITOR has unbalanced quotes; set it to e.g. 'vim -f' or 'nano'") from None
    if not command:
        raise InvalidInput("set $EDITOR (e.g. export EDITOR=nano) to write notes in an editor")
    return command


def edit_text(initial: str = "", suffix: str = ".md", *, allow_unchanged: bool = False) -> str:
    """Open the editor on a private temporary file; return the text, or fail (nothing saved).
    `allow_unchanged`: text saved as it was is an answer (a draft read and approved)."""
    command = editor_command()
    folder = Path(tempfile.mkdtemp(prefix="mentorkit-"))  # 0700
    path = folder / f"notes{suffix}"
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial)
        try:
            completed = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise InvalidInput(f"cannot run the editor {command[0]!r}: {exc.strerror}; check $EDITOR") from None
        if completed.returncode != 0:
            raise InvalidInput(f"the editor exited with status {completed.returncode}; nothing was saved")
        text = path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
        folder.rmdir()
    if not text.strip() or (text == initial and not allow_unchanged):
        raise InvalidInput("the editor left no new text; nothing was saved")
    return text
