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


# --- the parts every teaching notebook shares (template: title, time and goals ... exercises, quiz, credits) ----

GLOSSARY = "../docs/glossary.md"


def time_and_glossary(minutes: str) -> str:
    """The line under a notebook's title: estimated time and a link to the glossary."""
    return (f"*Estimated time: {minutes}. Words in **bold** are explained in the [glossary]({GLOSSARY}).*")


def exercises(tasks, *, intro: str = "") -> object:
    """The "Exercises" section: ``tasks`` is a list of ``(title, task_markdown, solution_markdown)``.

    Every task asks the learner to predict before they listen; each solution is folded in a ``<details>``
    block so it does not give the answer away.
    """
    parts = ["## Exercises", "",
             intro or ("Each task asks you to change code or a recording. **Write down your prediction before you "
                       "run or listen**, then open the solution."), ""]
    for i, (title, task, solution) in enumerate(tasks, 1):
        parts += [f"#### {i}. {title}", "", textwrap.dedent(task).strip(), "",
                  "<details><summary>Solution</summary>", "", textwrap.dedent(solution).strip(), "", "</details>", ""]
    return nbformat.v4.new_markdown_cell("\n".join(parts).strip())


def quiz(questions) -> object:
    """A Markdown cell with a self-check quiz (:func:`toolkit.ui.quiz.quiz_html`); questions are
    ``(question, options, index_of_right_answer, why)``. Each option folds open to say right or wrong, and why."""
    from toolkit.ui.quiz import quiz_html

    return nbformat.v4.new_markdown_cell(quiz_html(questions))
