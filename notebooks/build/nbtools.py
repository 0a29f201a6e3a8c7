"""Notebooks are written as Python (one ``build_<name>.py`` per notebook) and generated with nbformat.

That keeps them reviewable in diffs and saved without outputs. Regenerate all:
``python notebooks/build/build_all.py``; one: ``python notebooks/build/build_app.py``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parent.parent


def md(text: str):
    """A Markdown cell (the text is dedented)."""
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip("\n"))


def code(src: str, *, hide: bool = False):
    """A code cell; ``hide=True`` tags it so Voila and JupyterLab can collapse its source."""
    cell = nbformat.v4.new_code_cell(textwrap.dedent(src).strip("\n"))
    if hide:
        cell.metadata["tags"] = ["hide-input"]
        cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def write(name: str, cells, *, title: str = "") -> Path:
    """Write ``notebooks/<name>.ipynb`` (no outputs) with the lab's Python 3 kernel."""
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    if title:
        nb.metadata["title"] = title
    path = NOTEBOOKS / f"{name}.ipynb"
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
    return path
