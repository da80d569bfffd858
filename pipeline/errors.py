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
