"""Where the lab's shipped files are: in a checkout, its top-level folders; installed, the package data.

A checkout (or a copy of one: Binder, a learner's clone) has ``media/`` and ``notebooks/`` beside ``toolkit/``,
and those are what ``media/make_media.py`` writes and the notebooks read. An installed wheel carries the same
files inside the package (``toolkit._media``, ``toolkit._notebooks``: setup.py maps them in at build time), found
with :mod:`importlib.resources` from any folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["media_dir", "app_notebook", "voila_template_root"]

_CHECKOUT = Path(__file__).resolve().parent.parent


def _package_dir(*parts: str) -> Path:
    """A folder of package data inside the installed ``toolkit`` (real files on disk: Voila serves them by path)."""
    folder = resources.files("toolkit").joinpath(*parts)
    path = Path(str(folder))
    if not path.is_dir():
        raise FileNotFoundError(f"toolkit/{'/'.join(parts)} is not a folder on disk ({folder!r}); reinstall the lab "
                                "with `pip install voice-cloning-lab` (unzipped)")
    return path


def media_dir() -> Path:
    """The folder of the example clips and their ``index.csv``.

    Examples
    --------
    >>> (media_dir() / "index.csv").exists()
    True
    """
    if (_CHECKOUT / "media" / "make_media.py").exists():
        return _CHECKOUT / "media"
    return _package_dir("_media")


def app_notebook() -> Path:
    """The Voila app's notebook (``notebooks/app.ipynb`` in a checkout)."""
    if (_CHECKOUT / "notebooks" / "app.ipynb").exists():
        return _CHECKOUT / "notebooks" / "app.ipynb"
    return _package_dir("_notebooks") / "app.ipynb"


def voila_template_root() -> Path:
    """The folder holding ``voila/templates/vcl``, the app's offline Voila template (put on ``JUPYTER_PATH``)."""
    return _package_dir("ui")
