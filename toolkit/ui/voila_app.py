"""Voila as the lab runs it alone: Voila's own application, its responses compressed by Tornado.

``python -m toolkit.ui.voila_app NOTEBOOK [voila flags]`` takes exactly the arguments of the ``voila``
command (:func:`toolkit.ui.serve.voila_command` builds them). The one difference: Tornado's gzip transform
(``tornado.web.GZipContentEncoding``, the same one that ``compress_response`` switches on under Jupyter
server) is added to Voila's web application before it listens. Voila applies ``Voila.tornado_settings`` only
after its application exists, too late for ``compress_response``, so without this Voila alone sends its front
end (5.5 MB of JavaScript and CSS per visitor) uncompressed: on a workshop's Wi-Fi or a visitor's phone that
is the slowest part of opening the app.

Everything else (preheated kernels, visitor limits, the lab's template and config) is Voila's own.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def _compressed_voila():
    from tornado.web import GZipContentEncoding
    from voila.app import Voila

    class CompressedVoila(Voila):
        """Voila whose HTTP responses are gzip-compressed for browsers that accept it."""

        def listen(self):
            self.app.add_transform(GZipContentEncoding)
            super().listen()

    return CompressedVoila


def main(argv=None) -> None:
    """Run Voila with compressed responses on ``argv`` (default: this process's arguments)."""
    _compressed_voila().launch_instance(argv=sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
