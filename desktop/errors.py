"""Errors the program refuses with; their messages are shown to the user as they are.

A leaf module, below every layer (db, services, importing, exporting), so
that any of them can raise them without importing the services package.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refused operation, with a message in Chinese meant for the user."""


Problem = tuple[str | None, str]  # (field, message)


class ValidationError(ServiceError):
    """Input that cannot be saved; `field` names the offending field when known.

    `per_field` holds every (field, message) found at once, so a form can show
    each beside its field; the exception's own message and field are the first.
    """

    def __init__(
        self, message: str, field: str | None = None, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(message)
        self.field = field
        self.per_field: list[Problem] = problems or [(field, message)]

    @classmethod
    def of(cls, problems: list[Problem]) -> ValidationError:
        field, message = problems[0]
        return cls(message, field, problems)


class LockedError(ServiceError):
    """A write that touches a submitted (locked) period."""


class NotFoundError(ServiceError):
    pass


class DatabaseBusy(ServiceError):
    """Another program held the database for longer than a writer waits, or the user stopped waiting."""
