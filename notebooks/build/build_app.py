"""Build notebooks/app.ipynb: the Voila app (its code is hidden; it only assembles panels)."""

from nbtools import code, write

cells = [
    code("""
    # The Voila demo (serve it with `make app`). Everything lives in toolkit/ui/app.py;
    # warm_up loads the models in the background while the visitor picks a reference.
    import warnings
    warnings.filterwarnings("ignore")
    import matplotlib
    matplotlib.use("module://matplotlib_inline.backend_inline")
    from toolkit.ui.app import build_app

    page, state = build_app(warm_up=True)
    page
    """, hide=True),
]

if __name__ == "__main__":
    write("app", cells, title="Voice Cloning Lab")
