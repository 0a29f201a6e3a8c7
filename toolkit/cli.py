"""Command line: ``python -m toolkit COMMAND ...``.

Conventions every command follows:

* ``--json`` prints one JSON object on stdout (machine-readable); without it,
  a short human-readable summary.
* Bad input (a missing or unreadable file, a value out of range) exits with
  status 2 and one line on stderr that says what was wrong and how to fix it;
  never a traceback.

Each command is a small function ``cmd_NAME(args) -> dict`` that calls the
toolkit and returns what to print; :data:`COMMANDS` wires them to argparse.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from pathlib import Path

from .errors import ToolkitError

__all__ = ["main", "build_parser"]


def _print_human(result: dict) -> None:
    for key, value in result.items():
        if isinstance(value, float):
            value = f"{value:.3f}"
        elif isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        print(f"{key}: {value}")


# --- commands -------------------------------------------------------------

def _add_convert(sub):
    p = sub.add_parser("convert", help="decode any audio file (wav, flac, ogg, mp3, webm/opus) to 16-bit WAV")
    p.add_argument("input", help="audio file to read")
    p.add_argument("--out", required=True, help="WAV file to write")
    p.add_argument("--sr", type=int, default=None, help="resample to this rate in Hz (default: keep the input's)")
    p.set_defaults(func=cmd_convert)


def cmd_convert(args) -> dict:
    from .audio import load, save

    y, sr = load(args.input, sr=args.sr)
    out = save(args.out, y, sr=sr)
    return {"input": str(args.input), "output": str(out), "sr": sr, "duration_s": round(len(y) / sr, 4)}


def _add_prepare(sub):
    p = sub.add_parser("prepare", help="check the bundled models and assemble the TTS model once (run at install time)")
    p.set_defaults(func=cmd_prepare)


def cmd_prepare(args) -> dict:
    from .models import prepare_models

    return prepare_models()


COMMANDS = [_add_convert, _add_prepare]


# --- entry point ----------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m toolkit",
        description="Voice Cloning Lab toolkit: record, analyse, check and clone voices offline.",
        epilog="Every command takes --json for machine-readable output. Bad input exits with status 2.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    for p in sub.choices.values():
        if not any(a.dest == "json" for a in p._actions):
            p.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    return parser


def main(argv=None) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)  # argparse itself exits 2 with a usage line on bad flags
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    warnings.filterwarnings("ignore")
    try:
        result = args.func(args)
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    if result is not None:
        if getattr(args, "json", False):
            print(json.dumps(result, ensure_ascii=False, default=_json_default))
        else:
            _print_human(result)
    return 0


def _json_default(obj):
    import numpy as np

    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"cannot encode {type(obj).__name__} as JSON")
