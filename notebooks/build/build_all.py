"""Regenerate every notebook from its ``build_*.py`` script."""

import runpy
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("build_*.py")):
    if script.name != "build_all.py":
        runpy.run_path(str(script), run_name="__main__")
        print("built", script.stem.removeprefix("build_"))
