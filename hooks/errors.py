"""The one error type a user sees: a sentence saying what went wrong and how to fix it."""

from __future__ import annotations


class UserError(Exception):
    """A mistake or condition the user can fix; the CLI prints it without a traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


def describe_os_error(exc: OSError) -> str:
    """`Permission denied: /path`: what the system said, and about which file."""
    what = exc.strerror or str(exc)
    names = [str(n) for n in (exc.filename, exc.filename2) if n is not None]
    return f"{what}: {' → '.join(names)}" if names else what
