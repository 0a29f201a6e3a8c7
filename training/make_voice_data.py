"""Make the synthetic training set of the voice-space encoder.

For each sample: draw a style vector around Kokoro's shipped voices
(:func:`toolkit.clone.voice_space.sample_styles`), speak one short English
sentence with it, and store the style, the GE2E embedding of the speech and the
speech itself (16 kHz, int16) so that profile features can be computed later
without synthesising again. Nothing here touches real recordings: the encoder
learns only from voices the project makes itself.

Writes batches ``OUT/batch_0000.npz``, ... so a partial run is already usable.
Run it in ONE process (it uses both cores)::

    python training/make_voice_data.py --out /tmp/voice_space_data --n 3000 --seed 1

Trained from it by ``training/train_voice_encoder.py``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

#: Our own sentences (about 2.5-4 s each), varied in sounds; none comes from an evaluation set.
SENTENCES = [
    "A gentle breeze moved the paper lanterns above the market.",
    "Please bring the blue notebook when you visit tomorrow.",
    "The train to the coast leaves at a quarter past nine.",
    "We planted tomatoes, beans and sunflowers in the garden.",
    "My neighbour plays the violin every Sunday evening.",
    "Could you check whether the window in the kitchen is closed?",
    "The museum opens a new exhibition about ancient maps.",
    "Thick fog rolled over the harbour before dawn.",
    "He poured warm milk into a chipped yellow mug.",
    "Our team finished the puzzle just before midnight.",
    "The library asks visitors to whisper near the reading room.",
    "She measured the flour twice and then forgot the sugar.",
    "Bright lights flickered across the quiet frozen lake.",
    "Turn left at the bakery and walk straight to the bridge.",
    "The old clock in the hall chimes every hour.",
    "Fresh bread smells wonderful on a cold morning.",
    "Thousands of birds gathered on the wet sandbank.",
    "I would like a ticket for the afternoon show, please.",
    "The children built a castle out of cardboard boxes.",
    "Rain drummed softly on the roof of the shed.",
    "Which way is the fastest route to the airport?",
    "The doctor said to rest and drink plenty of water.",
    "A small brown dog chased the ball into the hedge.",
    "Every summer we visit my grandmother by the sea.",
    "The engineer explained how the pump works in detail.",
    "Snow covered the village roofs during the night.",
    "Few people knew the shortcut through the orchard.",
    "The choir sang three songs before the interval.",
    "Keep the receipt in case you need to return the shoes.",
    "Jupiter shines brightly low in the eastern sky.",
]


def sampling_defaults() -> dict:
    """``max_step`` and ``extrapolate`` as :func:`toolkit.clone.voice_space.sample_styles` has them by default."""
    import inspect

    from toolkit.clone.voice_space import sample_styles

    params = inspect.signature(sample_styles).parameters
    return {k: params[k].default for k in ("max_step", "extrapolate")}


def main(argv=None):
    defaults = sampling_defaults()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=3000, help="number of samples")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2, help="onnxruntime threads")
    ap.add_argument("--max-step", type=float, default=defaults["max_step"],
                    help="largest Gaussian step, in the shipped voices' per-dimension spreads (sample_styles)")
    ap.add_argument("--extrapolate", type=float, default=defaults["extrapolate"],
                    help="how far past a blend's corner half the samples are pushed (sample_styles)")
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    from toolkit.audio import resample
    from toolkit.clone.voice_space import VoiceSpace, sample_styles
    from toolkit.embedding import get_encoder
    from toolkit.synth.kokoro import KokoroTTS
    from toolkit.synth.phonemes import phonemize

    tts = KokoroTTS(n_threads=args.threads)
    space = VoiceSpace(tts.voices)
    enc = get_encoder()
    phon = [phonemize(s, language="en") for s in SENTENCES]
    rng = np.random.default_rng(args.seed)
    styles, weights = sample_styles(args.n, space=space, rng=rng, max_step=args.max_step,
                                    extrapolate=args.extrapolate)
    sent_ids = rng.integers(0, len(SENTENCES), args.n)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "meta.json").write_text(json.dumps({"seed": args.seed, "n": args.n, "max_step": args.max_step,
                                                    "extrapolate": args.extrapolate, "sentences": SENTENCES,
                                                    "phonemes": phon, "ref_row": 80}, indent=1))
    t0 = time.time()
    for b0 in range(0, args.n, args.batch):
        path = args.out / f"batch_{b0 // args.batch:04d}.npz"
        if path.exists():
            continue
        idx = np.arange(b0, min(args.n, b0 + args.batch))
        E, audio, lengths, synth_s = [], [], [], []
        for i in idx:
            t = time.time()
            y = tts.synthesize_phonemes(phon[sent_ids[i]], style=space.table(styles[i]))
            synth_s.append(time.time() - t)
            y16 = resample(y if y.size else np.zeros(1600, np.float32), sr=tts.sr, target_sr=16000)
            try:
                E.append(enc.embed(y16, sr=16000))
            except Exception:  # too little sound: keep the row, mark it unusable
                E.append(np.full(256, np.nan, np.float32))
            audio.append((np.clip(y16, -1, 1) * 32767).astype(np.int16))
            lengths.append(len(y16))
        np.savez(path, index=idx, style=styles[idx], weights=weights[idx], sentence=sent_ids[idx],
                 embedding=np.stack(E), audio=np.concatenate(audio), lengths=np.array(lengths),
                 synth_s=np.array(synth_s))
        done = idx[-1] + 1
        el = time.time() - t0
        print(f"{done}/{args.n} samples, {el / 60:.1f} min, {el / max(1, done - 0) :.2f} s/sample", flush=True)


if __name__ == "__main__":
    main()
