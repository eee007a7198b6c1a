"""Domain errors. Each says in plain words why an action did not happen."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ActionRefused(DomainError):
    """The person may not do this to this concern in its present state."""


class NotVisible(ActionRefused):
    """The person has no role in this concern: views answer 404, never a reason."""

    def __init__(self) -> None:
        super().__init__("You do not have access to this concern.")


class ConcernChanged(DomainError):
    """Someone else changed the concern after this person opened it."""

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"This concern changed since you opened it: someone else acted on {reference} "
            "first. Nothing you entered was saved; reload the concern to see what changed."
        )


class InvalidInput(DomainError):
    """Input that fails validation, with a message per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
