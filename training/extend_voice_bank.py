"""Add voices to the voice bank of the shipped voice-space encoder, keeping its direct map as it is.

The bank (``bank_embeddings``, ``bank_styles`` in ``toolkit/clone/data/voice_encoder.npz``) is what
:meth:`toolkit.clone.learned.VoiceEncoderModel.neighbours` blends from; the direct map was trained on part of
it and does not change here. New voices come from ``training/make_voice_data.py`` runs (synthetic speech only)::

    python training/make_voice_data.py --out /tmp/vsd3 --n 1000 --batch 50 --seed 3 --threads 1
    python training/extend_voice_bank.py --bank-data /tmp/vsd3

Rows whose speech could not be embedded are left out; the record of what was added goes into the file's
``info`` (``bank_extensions``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_voice_data import sampling_defaults  # noqa: E402
from train_voice_encoder import OUT, load_batches  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bank-data", type=Path, nargs="+", required=True, help="make_voice_data.py output folders")
    ap.add_argument("--weights", type=Path, default=OUT, help="the encoder file to extend (read and rewritten)")
    ap.add_argument("--out", type=Path, default=None, help="where to write (default: --weights itself)")
    args = ap.parse_args(argv)

    with np.load(args.weights, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    info = json.loads(str(arrays["info"]))
    bank_e, bank_s = [arrays["bank_embeddings"]], [arrays["bank_styles"]]
    added, defaults = [], sampling_defaults()  # runs from before the two options were recorded used the defaults
    for folder in args.bank_data:
        d = load_batches(folder)
        good = np.isfinite(d["embedding"]).all(1)
        meta = json.loads((folder / "meta.json").read_text())
        bank_e.append(d["embedding"][good].astype(np.float16))
        bank_s.append(d["style"][good].astype(np.float16))
        added.append({"voices": int(good.sum()), "seed": meta["seed"], **{k: meta.get(k, v) for k, v in defaults.items()}})
        print(f"{folder}: {good.sum()} voices ({(~good).sum()} without usable speech left out)")
    arrays["bank_embeddings"], arrays["bank_styles"] = np.concatenate(bank_e), np.concatenate(bank_s)
    info["bank_voices"] = int(len(arrays["bank_embeddings"]))
    info["bank_extensions"] = info.get("bank_extensions", []) + added
    arrays["info"] = np.str_(json.dumps(info))
    out = args.out or args.weights
    np.savez_compressed(out, **arrays)
    print(f"wrote {out}: {info['bank_voices']} bank voices ({out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
