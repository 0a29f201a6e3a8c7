"""Sphinx configuration of the lab's book (Jupyter Book 1's engine: myst-nb + sphinx-book-theme, fully offline).

``book/build.py`` copies this file into the assembled source folder (``build/book_src``) next to the executed
notebooks; the notebooks are not executed again here.
"""

project = "Voice Cloning Lab"
author = "Voice Cloning Lab contributors"
copyright = "Voice Cloning Lab contributors; recordings as credited on each page"

extensions = ["myst_nb", "sphinx.ext.githubpages"]  # githubpages: writes .nojekyll
myst_enable_extensions = ["colon_fence"]
# The notebooks come executed (book/build.py runs them once, as a learner has them); never run them again here.
nb_execution_mode = "off"
# No widget manager from a CDN: the book replaces widget outputs by a note (widgets need a live kernel).
nb_ipywidgets_js = {}
# Cell outputs may be long (printed tables); keep them all.
nb_merge_streams = True
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "myst.xref_missing", "misc.highlighting_failure"]

html_theme = "sphinx_book_theme"
html_title = "Voice Cloning Lab"
html_static_path = ["_static"]
html_css_files = ["vcl-book.css"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
}
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
