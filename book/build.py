"""Build the lab's book: execute the notebooks as a learner has them, then render them with Sphinx (``make book``).

Three steps, each usable alone (the tests share the first with the book, so a CI run executes every notebook once):

1. :func:`learner_copy`: copy the checkout to ``build/learner/voice-cloning-lab`` (no ``../shared`` beside it, the
   way a learner or Binder has the lab: the notebooks must manage with ``media/``).
2. :func:`execute`: run one notebook of that copy headless, with ``PYTHONPATH`` pointing at the copy, and save it
   with its outputs to ``build/executed/``.
3. :func:`build_book`: assemble a Sphinx source folder (``build/book_src``: the README's intro as landing page, the
   executed notebooks, the glossary and workshop guide when they exist) and render it with myst-nb and
   sphinx-book-theme into ``build/book/``. Everything the pages need is written beside them; nothing comes from a CDN.

Usage::

    python book/build.py              # all three steps
    python book/build.py --reuse      # skip executing notebooks already in build/executed/ (newer than the source)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build"
LEARNER = BUILD / "learner" / "voice-cloning-lab"
EXECUTED = BUILD / "executed"
BOOK_SRC = BUILD / "book_src"
BOOK_OUT = BUILD / "book"
#: What the learner's copy leaves out: VCS, environments, build products, test artefacts.
_NOT_COPIED = (".git", ".venv", "build", "__pycache__", "*.pyc", ".pytest_cache", "_artifacts", "*.egg-info",
               ".ipynb_checkpoints", ".cache", "tmp")
#: Teaching notebooks (their number is in the name); app.ipynb is executed and tested but is not a book page.
TEACHING = re.compile(r"^\d\d_.*\.ipynb$")

#: Longest a single cell may run (s). The slowest cells (fitting a voice in 05 and 06) take well under a minute.
CELL_TIMEOUT_S = 300
#: A cell still waiting for its reply after this long gets the kernel nudged (then again every as long).
NUDGE_AFTER_S = 45.0

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def notebook_names(folder: Path = REPO / "notebooks") -> list[str]:
    return sorted(p.name for p in folder.glob("*.ipynb"))


# --- 1. the learner's copy ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def learner_copy(dest: Path = LEARNER) -> Path:
    """A fresh copy of the checkout at ``dest`` (once per process), with no ``shared/`` beside it."""
    if (dest.parent / "shared").exists():
        raise RuntimeError(f"{dest.parent / 'shared'} exists: the learner's copy must not have shared/ beside it")
    if dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO, dest, ignore=shutil.ignore_patterns(*_NOT_COPIED), symlinks=False)
    return dest


# --- 2. executing a notebook ------------------------------------------------------------------------------------

class _Nudger:
    """Wake an execution that waits for a reply that will not come by itself.

    Now and then a cell's request or its reply stops in a socket until some later message passes through it (an
    edge-triggered wake-up lost between pyzmq and an event loop; ipython/ipykernel#1554 describes the kernel
    side). We saw it with the pinned ipykernel 6.29.5: kernel and client idle for minutes with 10 of 11 cells
    run. A request from a *second* client did not reliably end it (one CI run needed six of them), so the nudge
    goes through the notebook client's own shell channel: every :data:`NUDGE_AFTER_S` that a cell waits, it
    asks the kernel for its info. The request wakes the kernel's socket and the reply wakes the client's;
    nbclient skips replies that are not the cell's. A cell that really runs that long gets only a harmless
    request queued behind it.
    """

    def __init__(self, client):
        self.client, self.task, self.nudges = client, None, 0

    def start(self, **_):
        self.stop()
        self.task = asyncio.get_running_loop().create_task(self._nudge_while_waiting())

    def stop(self, **_):
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _nudge_while_waiting(self):
        while True:
            await asyncio.sleep(NUDGE_AFTER_S)
            self.client.kc.kernel_info()
            self.nudges += 1


def _run_once(path: Path, *, root: Path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}, allow_errors=False)
    nudger = _Nudger(client)
    client.on_cell_execute, client.on_cell_executed, client.on_cell_error = nudger.start, nudger.stop, nudger.stop
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                                       if p and Path(p).resolve() != REPO])
    env.setdefault("PYTHONWARNINGS", "ignore")
    try:
        client.execute(env=env, cwd=str(path.parent))  # raises CellExecutionError with the failing cell's traceback
    finally:
        nudger.stop()
    if nudger.nudges:  # shown in pytest's warnings summary, so CI logs say how often this happens
        warnings.warn(f"{path.name}: nudged the kernel {nudger.nudges} time(s) while a cell waited for its reply")
    return nb


def execute(name: str, *, root: Path | None = None, out_dir: Path = EXECUTED, reuse: bool = False) -> Path:
    """Execute ``notebooks/NAME`` of the learner's copy and save it with its outputs to ``out_dir/NAME``.

    A stall that the nudges do not cure (see :class:`_Nudger`) is the harness, not the notebook: it is said so in a
    warning and the notebook runs once more on a fresh kernel. An error in a cell is never retried (it raises
    ``CellExecutionError``), and a second stall raises ``CellTimeoutError``.
    """
    import nbformat
    from nbclient.exceptions import CellTimeoutError

    out = out_dir / name
    if reuse and out.exists() and out.stat().st_mtime >= (REPO / "notebooks" / name).stat().st_mtime:
        return out
    root = root or learner_copy()
    path = root / "notebooks" / name
    t0 = time.perf_counter()
    try:
        nb = _run_once(path, root=root)
    except CellTimeoutError as exc:
        warnings.warn(f"{name}: a cell got no reply within {CELL_TIMEOUT_S} s ({str(exc).splitlines()[0]}); "
                      "running the notebook again on a fresh kernel")
        nb = _run_once(path, root=root)
    nb.metadata["vcl_executed_s"] = round(time.perf_counter() - t0, 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out))
    return out


# --- 3. the book ---------------------------------------------------------------------------------------------------

def binder_repo() -> str:
    """``owner/name`` of the GitHub repository: $GITHUB_REPOSITORY (set in GitHub Actions), else the git remote."""
    if os.environ.get("GITHUB_REPOSITORY"):
        return os.environ["GITHUB_REPOSITORY"]
    try:
        url = subprocess.run(["git", "-C", str(REPO), "remote", "get-url", "origin"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        url = ""
    m = re.search(r"github\.com[:/]([^/]+/[^/]+?)(?:\.git)?$", url)
    return m.group(1) if m else "OWNER/REPO"


def binder_url(name: str) -> str:
    return f"https://mybinder.org/v2/gh/{binder_repo()}/HEAD?urlpath=lab/tree/notebooks/{name}"


def _landing_page(toc: list[str]) -> str:
    """The README's intro (everything before its second heading) and the table of contents."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    intro = re.split(r"^## ", readme, maxsplit=1, flags=re.M)[0].strip()
    return (f"{intro}\n\nRead the notebooks below as pages with every figure and sound, or run them yourself: "
            "each page has a **launch on Binder** link, and `make lab` opens them in JupyterLab on your machine.\n\n"
            "```{toctree}\n:maxdepth: 1\n:caption: Contents\n\n" + "\n".join(toc) + "\n```\n")


def _page_note(name: str) -> str:
    return (":::{note}\n"
            f"**[Launch this notebook on Binder]({binder_url(name)})** to run it. This page was executed when the book "
            "was built: its figures and sounds are real, but the **widgets (sliders, recorder, buttons) need a live "
            "kernel**: open the notebook on Binder or in JupyterLab (`make lab`).\n:::\n")


_NOTE_HTML = ("<div class='vcl-widget-note'>Interactive widget, shown as it was when the book was built: its "
              "controls need a live kernel (Binder or <code>make lab</code>).</div>")
_BOXES = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel", "StackModel"}
_TEXT = {"HTMLModel", "HTMLMathModel", "LabelModel"}


def _buffer(model: dict, key: str = "value") -> str:
    return next((b["data"] for b in model.get("buffers", []) if b.get("path") == [key]), "")


def _widget_snapshot(model_id: str, state: dict) -> list:
    """What a widget showed when the notebook ran, as plain outputs: its figures, text and sounds (no controls).

    Reads the widget state nbclient saved with the notebook: Output widgets give their outputs back, HTML widgets
    their HTML, Audio and Image widgets their data; boxes are walked in order.
    """
    import nbformat

    model = state.get(model_id)
    if model is None:
        return []
    name, st = model["model_name"], model["state"]
    if name in _BOXES:
        return [o for child in st.get("children", []) for o in _widget_snapshot(child.removeprefix("IPY_MODEL_"), state)]
    if name == "OutputModel":
        return [nbformat.from_dict(o) for o in st.get("outputs", []) if o.get("output_type") != "error"]
    html = ""
    if name in _TEXT and st.get("value"):
        html = st["value"]
    elif name == "AudioModel" and _buffer(model):
        html = f"<audio controls preload='metadata' src='data:audio/{st.get('format', 'wav')};base64,{_buffer(model)}'></audio>"
    elif name == "ImageModel" and _buffer(model):
        fmt = st.get("format", "png")
        return [nbformat.v4.new_output("display_data", data={f"image/{fmt}": _buffer(model), "text/plain": "figure"})]
    return [nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": ""})] if html else []


def _static_outputs(outputs: list, state: dict) -> list:
    """``outputs`` with each widget view replaced by a note and the widget's snapshot."""
    import nbformat

    new = []
    for out in outputs:
        view = out.get("data", {}).get(WIDGET_VIEW) if out.get("output_type") in ("display_data", "execute_result") else None
        if view is None:
            new.append(out)
            continue
        new.append(nbformat.v4.new_output("display_data", data={"text/html": _NOTE_HTML,
                                                                "text/plain": "Interactive widget: needs a live kernel."}))
        new.extend(_widget_snapshot(view["model_id"], state))
    return new


def book_notebook(executed: Path):
    """The executed notebook as the book shows it: a note with the Binder link on top, widgets as snapshots."""
    import nbformat

    nb = nbformat.read(str(executed), as_version=4)
    title = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.lstrip().startswith("# "))
    heading, _, rest = title.source.lstrip().partition("\n")
    title.source = f"{heading}\n\n{_page_note(executed.name)}\n{rest}"  # the note right under the page's title
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = _static_outputs(cell.get("outputs", []), state)
    nb.metadata.pop("widgets", None)  # no widget state left: myst-nb adds no widget manager (from a CDN)
    return nb


def assemble(executed_dir: Path = EXECUTED, src: Path = BOOK_SRC) -> Path:
    """Write the Sphinx source folder: conf, landing page, executed teaching notebooks, glossary and workshop guide."""
    import nbformat

    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    shutil.copy(REPO / "book" / "conf.py", src / "conf.py")
    shutil.copytree(REPO / "book" / "_static", src / "_static")
    pages = sorted(p for p in executed_dir.glob("*.ipynb") if TEACHING.match(p.name))
    if not pages:
        raise FileNotFoundError(f"no executed notebooks in {executed_dir}: run `python book/build.py` first")
    toc = []
    for p in pages:
        nbformat.write(book_notebook(p), str(src / p.name))
        toc.append(p.stem)
    for doc in ("glossary", "workshop"):  # written separately; the book takes them when they exist
        if (REPO / "docs" / f"{doc}.md").exists():
            shutil.copy(REPO / "docs" / f"{doc}.md", src / f"{doc}.md")
            toc.append(doc)
    (src / "index.md").write_text(_landing_page(toc), encoding="utf-8")
    return src


def build_book(executed_dir: Path = EXECUTED, out: Path = BOOK_OUT) -> Path:
    """Render the book into ``out`` (``out/index.html``, ``out/01_spectrograms.html``, ...)."""
    src = assemble(executed_dir)
    if out.exists():
        shutil.rmtree(out)
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(BUILD / "book_doctrees"),
                           str(src), str(out)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"sphinx failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="book/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true", help="keep executed notebooks newer than their source")
    args = parser.parse_args(argv)
    for name in notebook_names():
        t0 = time.perf_counter()
        execute(name, reuse=args.reuse)
        print(f"executed {name} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    out = build_book()
    print(f"book written to {out / 'index.html'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
