"""A small self-check quiz: multiple-choice questions whose answers are explained.

Each question is ``(question, options, index_of_right_answer, why)``. In JupyterLab or Voila the learner
picks an option and presses *Check*: the feedback says right or wrong and always gives the reason. Where
widgets do not run (a static HTML page, GitHub's viewer), the same quiz shows as text with each answer and
its explanation folded in a ``<details>`` block.

Examples
--------
>>> q = Quiz([("Which is the pitch?", ["F0", "F1"], 0, "F0 is the rate of the vocal folds; F1 a resonance.")])
>>> q.check(0, 0)
True
>>> "F0 is the rate" in q.feedback[0].value
True
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .common import error_html, ok_html

__all__ = ["Quiz", "quiz"]


class Quiz(widgets.VBox):
    """Questions with radio buttons, a *Check* button each, and an explained answer."""

    def __init__(self, questions, *, title: str = "Self-check"):
        self.questions = [tuple(q) for q in questions]
        for q, options, right, why in self.questions:
            if not 0 <= right < len(options):
                raise ValueError(f"quiz question {q!r}: answer index {right} is not one of its {len(options)} options")
        self.choices, self.feedback, rows = [], [], [widgets.HTML(f"<h4>{html.escape(title)}</h4>")]
        for i, (q, options, _right, _why) in enumerate(self.questions):
            choice = widgets.RadioButtons(options=[(o, k) for k, o in enumerate(options)], value=None,
                                          layout=widgets.Layout(width="auto"))
            button = widgets.Button(description="Check", layout=widgets.Layout(width="90px"))
            fb = widgets.HTML("")
            button.on_click(lambda _b, i=i: self.check(i, self.choices[i].value))
            self.choices.append(choice)
            self.feedback.append(fb)
            rows += [widgets.HTML(f"<b>{i + 1}. {html.escape(q)}</b>"), choice, button, fb]
        super().__init__(rows, layout=widgets.Layout(width="100%"))

    def check(self, i: int, picked) -> bool:
        """Mark question ``i`` with option ``picked`` (an index, or ``None``); return whether it is right."""
        _q, options, right, why = self.questions[i]
        if picked is None:
            self.feedback[i].value = error_html("Pick an answer first.")
            return False
        if picked == right:
            self.feedback[i].value = ok_html(f"Right. {why}")
            return True
        self.feedback[i].value = error_html(f"Not quite: the answer is “{options[right]}”. {why}")
        return False

    def static_html(self) -> str:
        """The quiz as plain HTML, each answer and its reason folded away."""
        parts = []
        for i, (q, options, right, why) in enumerate(self.questions):
            opts = "".join(f"<li>{html.escape(o)}</li>" for o in options)
            parts.append(f"<p><b>{i + 1}. {html.escape(q)}</b></p><ol type='a'>{opts}</ol>"
                         f"<details><summary>Answer</summary><p><b>{html.escape(options[right])}</b>. "
                         f"{html.escape(why)}</p></details>")
        return "<div class='vcl-quiz'><h4>Self-check</h4>" + "".join(parts) + "</div>"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = "Self-check quiz (run the notebook to answer it)."
        return bundle


def quiz(questions, *, title: str = "Self-check"):
    """Build and display a :class:`Quiz`; returns it."""
    from IPython.display import display

    q = Quiz(questions, title=title)
    display(q)
    return q
