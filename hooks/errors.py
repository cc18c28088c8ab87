"""The one error type a user sees: a sentence saying what went wrong and how to fix it."""


class UserError(Exception):
    """A mistake or condition the user can fix; the CLI prints it without a traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message
