"""The one exception family of the toolkit.

Every public entry point checks its input and raises a subclass of
:class:`ToolkitError` whose message names the bad value and says how to fix it.
The CLI and the widgets show that message in one line; nothing else is caught.
"""

__all__ = ["ToolkitError", "ParameterError", "AudioLoadError", "ModelError"]


class ToolkitError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class ParameterError(ToolkitError, ValueError):
    """A function was called with a value it cannot use (wrong range, type or shape)."""


class AudioLoadError(ToolkitError, OSError):
    """A file could not be read as audio (missing, empty, unreadable or not audio)."""


class ModelError(ToolkitError, RuntimeError):
    """A bundled model could not be found or loaded (reinstall the package that ships it)."""
