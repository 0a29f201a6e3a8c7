"""The clips the lab ships in ``media/``: real recordings with credits, every file decodes, the folder stays small."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from toolkit import media

REPO = Path(__file__).resolve().parent.parent
MEDIA = media.MEDIA_DIR
NOTEBOOK_BUILDS = REPO / "notebooks" / "build"


def _rows():
    with open(MEDIA / "index.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_index_has_the_credit_columns():
    cols = set(_rows()[0])
    assert {"speaker", "gender", "language", "transcript", "emotion", "license", "kind", "provenance"} <= cols


def test_every_file_in_the_index_decodes_and_matches_its_duration():
    for row in _rows():
        y, sr = sf.read(str(MEDIA / row["file"]), dtype="float32")
        assert sr == 16000, row["key"]
        assert y.ndim == 1 and len(y) > 0 and np.all(np.isfinite(y)), row["key"]
        assert abs(len(y) / sr - float(row["duration_s"])) < 0.02, row["key"]
        assert np.max(np.abs(y)) > 0.01, f"{row['key']} is silent"


def test_every_media_file_is_listed():
    listed = {r["file"] for r in _rows()}
    on_disk = {p.name for p in MEDIA.glob("*.flac")}
    assert on_disk == listed


def test_real_recordings_cover_what_the_lab_teaches_with():
    rec = media.list_examples(kind="recording")
    assert len(rec) >= 10
    assert all(e.license and e.provenance for e in rec), "every real recording keeps its licence and source"
    en = {e.speaker: e.gender for e in rec if e.language == "en"}
    assert sum(g == "F" for g in en.values()) >= 3 and sum(g == "M" for g in en.values()) >= 3
    assert "vctk_p260" in en and en["vctk_p260"] == "M"
    assert {"ja", "zh"} <= {e.language for e in rec}
    emotions = {e.emotion for e in rec if e.speaker == "thorsten"}
    assert emotions == {"neutral", "amused", "angry", "disgusted", "drunk", "sleepy", "surprised", "whisper"}
    assert {"music_vibe_ace", "robin_call"} <= {e.key for e in rec}
    allowed = ("CC BY 4.0", "CC0 1.0", "Apache-2.0", "CC BY 3.0")
    assert all(e.license.startswith(allowed) for e in rec), {e.license for e in rec}


def test_every_recording_is_credited_in_the_media_readme():
    readme = (MEDIA / "README.md").read_text(encoding="utf-8")
    for name in ("VCTK", "LibriSpeech", "FLEURS", "AISHELL-1", "Thorsten", "Kevin MacLeod", "InspectorJ"):
        assert name in readme, f"media/README.md does not credit {name}"


def test_media_folder_stays_under_10_mb():
    total = sum(p.stat().st_size for p in MEDIA.rglob("*") if p.is_file())
    assert total < 10 * 1024 * 1024, f"media/ is {total / 2**20:.1f} MB"


def test_picker_offers_real_voices_first_named_by_accent():
    options = media.picker_options()
    keys = [k for _, k in options]
    n_real = len([k for k in keys if media.list_examples() and k in {e.key for e in media.voices()}])
    assert n_real >= 8 and all(k in {e.key for e in media.voices()} for k in keys[:n_real])
    labels = dict((k, lab) for lab, k in options)
    assert labels["vctk_p260_ref"].startswith("Scottish English") and "male" in labels["vctk_p260_ref"]
    assert keys.index("ref_good") > keys.index("vctk_p260_ref")


def test_app_picker_uses_the_real_voices_first():
    pytest.importorskip("ipywebrtc")
    from toolkit.ui.app import AppState

    state = AppState()
    keys = [k for _, k in state.recorder.picker.options]
    assert keys[1] == media.picker_options()[0][1]
    assert "ref_good" in keys


def test_no_notebook_reads_shared():
    """Notebooks and their builds use only media/: a learner's checkout has no ../shared beside it."""
    pattern = re.compile(r"\.\./shared|[\"']shared[\"']|VOICE_LAB_SPEECH")
    sources = list(NOTEBOOK_BUILDS.glob("*.py")) + list((REPO / "notebooks").glob("*.ipynb"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        code_only = "\n".join(line for line in text.splitlines() if "make_media" not in line)
        hits = [m.group(0) for m in pattern.finditer(code_only)]
        assert not hits, f"{path.name} mentions {hits[:3]}"


def test_example_loads_a_recording():
    clip = media.example("vctk_p260_ref")
    assert 4.0 < clip.duration_s < 6.0
    with pytest.raises(Exception, match="known keys"):
        media.example("no_such_voice")
