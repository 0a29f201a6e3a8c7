"""A small self-check quiz whose answers are explained, written as plain HTML.

Each question is ``(question, options, index_of_right_answer, why)``. Every option is a folded
``<details>`` block: the learner clicks the option they believe is right and reads "Right" or
"Not quite", each with the reason. It needs no kernel, no widgets and no JavaScript, so the same quiz
works in JupyterLab, Voila, a static HTML export, GitHub's notebook viewer and a printed page, offline.

Examples
--------
>>> html = quiz_html([("Which is the pitch?", ["F0", "F1"], 0, "F0 is the rate of the vocal folds.")])
>>> html.count("<details")
2
>>> "Right" in html and "Not quite" in html
True
"""

from __future__ import annotations

import html as _html
import zlib

from ..errors import ParameterError

__all__ = ["quiz_html"]

_LETTERS = "abcdefgh"


def quiz_html(questions, *, title: str = "Self-check quiz") -> str:
    """The quiz as an HTML block for a Markdown cell.

    Raises
    ------
    ParameterError
        If a question's answer index is not one of its options.
    """
    parts = [f"<h3>{_html.escape(title)}</h3>",
             "<p><i>Pick an answer in your head, then click it to see whether you were right, and why.</i></p>"]
    for i, (question, options, right, why) in enumerate(questions, 1):
        if not 0 <= right < len(options):
            raise ParameterError(f"quiz question {question!r}: answer index {right} is not one of its "
                                 f"{len(options)} options; give 0..{len(options) - 1}")
        # rotate the options by a number drawn from the question's text, so the right answer is not always in
        # the same place (and stays put from one build to the next)
        shift = zlib.crc32(question.encode("utf-8")) % len(options)
        order = [(k + shift) % len(options) for k in range(len(options))]
        options, right = [options[k] for k in order], order.index(right)
        parts.append(f"<p><b>{i}. {_html.escape(question)}</b></p>")
        for k, option in enumerate(options):
            verdict = ("<b style='color:#14532d'>Right.</b>" if k == right else
                       f"<b style='color:#7f1d1d'>Not quite</b>: the answer is ({_LETTERS[right]}).")
            parts.append(f"<details style='margin-left:1.5em'><summary>({_LETTERS[k]}) {_html.escape(option)}"
                         f"</summary><p style='margin-left:1.5em'>{verdict} {_html.escape(why)}</p></details>")
    return "\n".join(parts)
