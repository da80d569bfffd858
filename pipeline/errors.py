"""Errors a user can act on: each carries a one-line message, and the CLI prints it without a traceback.

Anything else that escapes is a bug and keeps its traceback. ``status`` is what the run ledger records
(``schemas.RUN_STATUSES``) when such an error ends a run.
"""

from __future__ import annotations


class EnvoyError(Exception):
    """A failure with a message that says what happened and what to do; no traceback needed."""

    status = "failed"


class ConfigError(EnvoyError):
    """An ``ENVOY_*`` setting that cannot be used (not a number, out of range)."""


class LandingMissing(EnvoyError):
    """The landing folder or file of a run does not exist: an error, never an empty day."""


class ReplaceRefused(EnvoyError):
    """A new batch holds fewer articles than the published day, and replacing was not asked for."""

    status = "refused"


class WarehouseUnusable(EnvoyError):
    """The warehouse file cannot be opened: locked for too long, missing, or not a DuckDB file."""


class ValidationFailed(EnvoyError):
    """The day's batch broke a batch-level expectation: recorded, not published, not loaded."""

    status = "validation_failed"

    def __init__(self, day: object, failed: list[str], docs_index: object | None):
        self.day, self.failed, self.docs_index = day, failed, docs_index
        names = "\n  - ".join(failed) or "(no expectation named)"
        super().__init__(
            f"validation failed for {day}: {len(failed)} expectation(s) about the whole batch failed, "
            f"nothing published or loaded:\n  - {names}"
            + (f"\nData Docs: {docs_index}" if docs_index else "")
        )
