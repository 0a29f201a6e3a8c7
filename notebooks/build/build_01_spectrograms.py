"""Build notebooks/01_spectrograms.ipynb: what a TTS model predicts, and how to read it."""

from nbtools import code, exercises, md, quiz, time_and_glossary, write

SETUP = '''
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from toolkit import media
from toolkit.analysis import (estimate_f0, estimate_formants, mel_spectrogram_db, mel_to_audio, stft_db,
                              frame_signal)
from toolkit.audio import Clip
from toolkit.plot import plot_f0, plot_formants, plot_frames, plot_spectrogram, plot_waveform
from toolkit.ui.notebook import players, voice

SR = 16000
# A real recording shipped in media/: VCTK speaker p228 reading one sentence (CC BY 4.0).
clip = voice("vctk_p228_b", sr=SR)
y, sr = clip.y, clip.sr
print(f"{clip.duration_s:.2f} s at {sr} Hz")
'''

def _exercises():
    return exercises([
        ("Find the words.", """
         In the STFT figure of section 3, the clip says *"Six spoons of fresh snow peas..."*. **Predict** where the
         /s/ of "six" and the /ʃ/ of "fresh" are (time, and which frequencies are dark). Then check: run
         `players(six=(y[:int(0.6 * sr)], sr))` and move the end time until you hear exactly "six".
         """, """
         "Six" is the first word, in the first half second: a patch of noise above about 4 kHz with no cyan pitch
         line, then the short vowel with harmonics, then the /ks/: a gap and noise again. The /ʃ/ of "fresh" comes
         right after "spoons of": its noise starts lower (from about 2.5 kHz), which is how you tell /ʃ/ from /s/
         on a spectrogram.
         """),
        ("Leakage by ear and by eye.", """
         In the two-tone cell, move the quiet tone to 300 Hz and make it 20 dB down (`0.1 * np.sin(2 * np.pi *
         300 * t)`). **Predict**: which window shows a second peak now? Then try a 100-sample window
         (`t = np.arange(100) / SR`, and `np.ones(100)`, `np.hanning(100)`).
         """, """
         Surprise: the *rectangular* window shows a bump near 310 Hz and the Hann window shows none. 80 Hz apart is
         inside Hann's 160 Hz-wide main lobe, while the rectangular window's main lobe is half as wide (2·sr/N =
         80 Hz). That is the trade-off: a taper buys low leakage with a wider main lobe. With 100 samples (6 ms)
         both main lobes are hundreds of hertz wide and the tones are one blob however many FFT points you use:
         resolution comes from the window length.
         """),
        ("Fewer mel bands.", """
         In section 5, **predict** what 10 mel bands will sound like after Griffin-Lim compared with 20, then
         change `n_mels=20` to `n_mels=10` and listen. Print `mean_db_difference` for both.
         """, """
         With 10 bands the formants are smeared over kilohertz-wide bands: vowels lose their identity and the
         voice turns into a buzzy whisper; the mean dB difference rises by several dB. Words with clear
         fricatives ("six", "snack") survive best, because noise is what Griffin-Lim invents anyway.
         """),
        ("Your own harmonics.", """
         Record yourself holding an "aaa" at a low pitch, then a high one, in section 7. **Predict**: what happens
         to the spacing of the horizontal lines, and what happens to the formant bands?
         """, """
         The harmonics fan out when you go up (their spacing is your F0), but the formant bands stay roughly
         where they were, because you kept the same vowel (mouth shape). Source and filter are independent:
         that is why a TTS model can change pitch without changing the vowel.
         """),
    ])


def _quiz():
    return quiz([
        ("Why is each frame multiplied by a Hann window before the FFT?",
         ["So the frame does not click when played", "To reduce spectral leakage from the frame's abrupt edges",
          "To make the FFT faster"], 1,
         "The FFT treats the frame as periodic; abrupt edges spread a tone's energy over all bins (leakage). "
         "Tapering the edges keeps peaks narrow so quiet harmonics next to loud ones stay visible."),
        ("You zero-pad a 25 ms frame (400 samples at 16 kHz) to n_fft = 4096. What improves?",
         ["The ability to separate two close tones", "Only the bin spacing (3.9 Hz): the peaks are drawn with more "
          "points, not sharper", "Time resolution"], 1,
         "Frequency resolution is set by the window length (about 160 Hz for a 400-sample Hann window). Zero "
         "padding interpolates the same spectrum."),
        ("What does the spacing of the horizontal lines in a narrowband spectrogram of a vowel tell you?",
         ["The pitch, F0", "The first formant, F1", "The loudness"], 0,
         "The lines are harmonics at multiples of F0, so their spacing is F0. Formants are the broad bands of "
         "energy the harmonics pass through."),
        ("Why does every neural TTS system need a vocoder after the mel spectrogram?",
         ["The mel spectrogram has no phase and only coarse frequency detail", "Mel spectrograms are too large",
          "To add the speaker's voice"], 0,
         "A mel spectrogram keeps band energies only. Griffin-Lim guesses the missing phase and sounds metallic; "
         "a trained vocoder learns to fill in natural phase and detail."),
    ])


EXERCISES, QUIZ = _exercises(), _quiz()

cells = [
    md("""
    # 01 · Seeing sound: waveforms, frames, spectrograms and mel spectrograms

    TIME

    A text-to-speech (TTS) model does not write a waveform sample by sample. Its main network predicts a
    **mel spectrogram**, a picture of how much energy there is in each frequency band every 10-12 ms, and a
    second network, the **vocoder**, turns that picture into sound. Voice cloning works on the same picture:
    the voice of the reference is whatever makes the predicted pictures look like that speaker's.

    **In this notebook you will**

    1. cut a waveform into short frames and see the spectrum of one frame;
    2. build a spectrogram (the STFT) and learn to read vowels, fricatives and pitch harmonics off it;
    3. squeeze it onto the mel scale, the representation TTS models predict;
    4. turn a mel spectrogram back into sound with Griffin-Lim and hear what is lost, which is why models need a
       trained vocoder;
    5. change window length, hop and number of mel bands with sliders, on the lab's speech and on your own voice.

    The code lives in `toolkit.analysis.spectrum` (the maths), `toolkit.plot` (the figures) and
    `toolkit.ui.spectrogram_explorer` (the sliders). All the sounds are in the lab's `media/` folder; the
    speech is a real recording of VCTK speaker p228, a woman from the south of England, reading *"Six spoons of
    fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob."*
    """.replace("TIME", time_and_glossary("about 50 minutes, plus 15 for the exercises"))),
    code(SETUP),
    md("""
    ## 1. The waveform

    A microphone measures air pressure; the sound card samples it, here 16 000 times a second. The waveform shows
    those numbers against time. You can see where the speaker is loud or silent, but hardly *what* they say:
    the ear (and a TTS model) cares about which frequencies are present, and a waveform hides them.
    """),
    code("""
    fig, ax = plt.subplots(figsize=(10, 2.5), layout="constrained")
    plot_waveform(y, sr=sr, ax=ax)
    ax.set_title(f"{clip.name}: the waveform")
    plt.show()
    players(original=(y, sr))
    """),
    md("""
    ## 2. Frames: short slices in which the sound barely changes

    Speech changes all the time, but over 20-30 ms the vocal tract hardly moves. So we cut the signal into
    short overlapping **frames** (here 25 ms = 400 samples, a new one every 10 ms = 160 samples: the *hop*),
    taper each with a **Hann window**, and take the spectrum of each frame with the FFT.
    Below, the first frames over the start of the waveform, then one frame from the loudest vowel and its spectrum.

    **Why taper?** The FFT treats a frame as if it repeated for ever. Cut a sine off abruptly and the repeated
    frame jumps at its edges; that jump is made of *all* frequencies, so the energy of one harmonic spreads
    ("leaks") into every bin of the spectrum and buries quieter harmonics next to it. This is **spectral
    leakage**. The Hann window fades each frame in and out, so there is no jump: a tone stays a narrow peak and
    its skirts fall away fast. The figure after the next one shows it on tones of known frequency.
    """),
    code("""
    win, hop = 400, 160
    fig, ax = plt.subplots(figsize=(10, 2.2), layout="constrained")
    start = int(np.argmax(np.abs(y) > 0.05 * np.abs(y).max()))  # where the speech begins
    plot_frames(y[start:start + 2000], sr=sr, frame_length=win, hop_length=hop, n_frames=5, ax=ax)
    ax.set_title("Five 25 ms frames, one every 10 ms (they overlap)")
    plt.show()

    # the loudest voiced frame: the middle of a vowel
    frames = frame_signal(y, sr=sr, frame_length=win, hop_length=hop)
    track = estimate_f0(y, sr=sr)
    energy = (frames ** 2).sum(axis=1)
    voiced = np.interp(np.arange(len(frames)) * hop / sr + win / 2 / sr, track.times_s, track.voiced.astype(float)) > 0.5
    k_vowel = int(np.argmax(np.where(voiced, energy, 0)))
    frame = frames[k_vowel] * np.hanning(win)
    spectrum_db = 20 * np.log10(np.abs(np.fft.rfft(frame, 1024)) + 1e-9)
    freqs = np.fft.rfftfreq(1024, 1 / sr)

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 2.8), layout="constrained")
    a1.plot(np.arange(win) / sr * 1000, frame)
    a1.set(xlabel="time in the frame (ms)", title=f"One windowed frame at {k_vowel * hop / sr:.2f} s")
    a2.plot(freqs, spectrum_db)
    a2.set(xlim=(0, 5000), xlabel="frequency (Hz)", ylabel="level (dB)", title="Its spectrum")
    f0_here = np.interp(k_vowel * hop / sr + win / 2 / sr, track.times_s, np.nan_to_num(track.f0_hz))
    for h in range(1, 6):
        a2.axvline(h * f0_here, color="C3", lw=0.7, ls=":")
    plt.show()
    print(f"F0 in this frame: {f0_here:.0f} Hz; the dotted lines mark its first five multiples (the harmonics).")
    """),
    md("""
    The spectrum of a vowel frame shows two things at once. The **harmonics**, evenly spaced peaks at multiples
    of the fundamental frequency F0, come from the vocal folds: their spacing is the pitch. The **envelope**, the
    broad hills the harmonics rise and fall under, comes from the shape of the mouth and throat: its peaks are the
    **formants**, and F1 and F2 decide which vowel you hear. Pitch is the source; formants are the filter.
    """),
    md("""
    ### Spectral leakage, and bin spacing versus resolution

    A 25 ms frame of two tones: 220 Hz, and 500 Hz 50 dB quieter (like a strong harmonic and a weak one).
    Without a taper (a *rectangular* window) the loud tone's leakage skirts stand 20 dB higher than the quiet
    tone, which disappears in them. With the Hann window the skirts fall away fast and the quiet tone shows up as
    its own bump at -50 dB.

    Two numbers are easy to confuse. The **bin spacing** is `sr / n_fft`: with `n_fft = 4096` the bins are
    3.9 Hz apart. The **frequency resolution** (how close two tones can be and still show as two peaks) is set
    by the *window length*, not by `n_fft`: a Hann window of N samples has a main lobe 4·sr/N wide (here
    4 × 16000 / 400 = 160 Hz). Padding a short frame with zeros to a long FFT only draws the same blurred peak
    with more points.
    """),
    code("""
    t = np.arange(400) / SR
    two_tones = np.sin(2 * np.pi * 220 * t) + 0.003 * np.sin(2 * np.pi * 500 * t)  # the second 50 dB down
    f_pad = np.fft.rfftfreq(4096, 1 / SR)
    fig, ax = plt.subplots(figsize=(10, 3), layout="constrained")
    for w, name in ((np.ones(400), "rectangular (no taper)"), (np.hanning(400), "Hann")):
        spec_db = 20 * np.log10(np.abs(np.fft.rfft(two_tones * w, 4096)) / w.sum() * 2 + 1e-9)
        ax.plot(f_pad, spec_db, label=name)
    ax.axvline(500, color="C3", ls=":", lw=1, label="the quiet tone (500 Hz, -50 dB)")
    ax.set(xlim=(0, 1000), ylim=(-110, 5), xlabel="frequency (Hz)", ylabel="level (dB)",
           title="25 ms of 220 Hz + a 50 dB quieter 500 Hz tone, FFT of 4096 points (3.9 Hz per bin)")
    ax.legend(fontsize=8)
    plt.show()
    print(f"bin spacing {SR / 4096:.1f} Hz; Hann main-lobe width for 400 samples: {4 * SR / 400:.0f} Hz")
    """),
    md("""
    ## 3. The spectrogram: every frame's spectrum, side by side

    Stack the spectra of all frames as columns and colour them by level: that is the **short-time Fourier
    transform** (STFT) shown as a spectrogram. In the lab it is `toolkit.analysis.stft_db`. On top we draw the
    pitch track (`estimate_f0`, cyan) and the first three formants (`estimate_formants`, dots).
    """),
    code("""
    spec = stft_db(y, sr=sr, n_fft=512, hop_length=160, win_length=400)
    formants = estimate_formants(y, sr=sr)
    fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
    plot_spectrogram(spec, ax=ax, fmax_hz=5000, colorbar=True)
    plot_formants(formants, ax=ax, voiced_times_s=track.times_s[track.voiced])
    plot_f0(track, ax=ax, color="cyan")
    ax.legend(loc="upper right", fontsize=8, markerscale=3)
    ax.set_title("STFT spectrogram with F0 (cyan) and formants F1-F3 (dots)")
    plt.show()
    """),
    md("""
    ### A picture whose answer we know

    Before reading real speech, look at the lab's synthetic vowel `vowel_a_150` (from `media/`): pulses at
    150 Hz through three resonances at 700, 1200 and 2600 Hz. The harmonics must be horizontal lines every
    150 Hz, and the formant dots must sit on 700, 1200 and 2600 Hz.
    """),
    code("""
    vowel = media.example("vowel_a_150", sr=SR)
    v_track = estimate_f0(vowel.y, sr=SR)
    v_form = estimate_formants(vowel.y, sr=SR)
    fig, ax = plt.subplots(figsize=(10, 3), layout="constrained")
    plot_spectrogram(stft_db(vowel.y, sr=SR, n_fft=1024, hop_length=160, win_length=800), ax=ax, fmax_hz=3500)
    plot_formants(v_form, ax=ax)
    plot_f0(v_track, ax=ax, color="cyan")
    ax.set_title("Synthetic /a/: harmonics every 150 Hz, formants at 700, 1200 and 2600 Hz")
    plt.show()
    print("measured F0 %.1f Hz; formants %s Hz" % (np.nanmedian(v_track.f0_hz),
          ", ".join(f"{f:.0f}" for f in np.nanmedian(v_form.formants_hz, axis=0))))
    players(**{"vowel_a_150": (vowel.y, SR)})
    """),
    md("""
    ### Reading a spectrogram

    * **Vowels** are the loud stretches with a comb of horizontal lines (the harmonics) and darker bands of
      energy running through them: the formants. An /i/ as in "peas" has F1 low (about 300 Hz) and F2 high
      (above 2 kHz); an /a/ has F1 high (700 Hz and more) and F2 in the middle.
    * **Fricatives** such as /s/ and /ʃ/ ("**s**ix", "**s**poon**s**", "fre**sh**", "**s**nack": all in this clip) are noise: no harmonics, energy smeared over
      high frequencies, above 4 kHz for /s/ and from about 2.5 kHz for /ʃ/. There is no pitch track over them,
      because the vocal folds are not vibrating.
    * **Stops** (/p/, /t/, /k/, /b/) are a short silence (the closure) followed by a vertical stripe (the burst).
    * **Pauses** are dark columns across all frequencies.
    * **Pitch** is the spacing of the harmonics: when the cyan line goes up, the lines fan out.

    The next cell finds the strongest vowel frame and the strongest fricative frame automatically (highest energy
    with and without voicing, the fricative judged by its share of energy above 4 kHz) and compares their spectra.
    """),
    code("""
    S_lin = 10 ** (spec.S_db / 10)
    high = S_lin[spec.freqs_hz >= 4000].sum(axis=0) / (S_lin.sum(axis=0) + 1e-12)
    voiced_cols = np.interp(spec.times_s, track.times_s, track.voiced.astype(float)) > 0.5
    loud = spec.S_db.max(axis=0) > spec.S_db.max() - 40
    i_vowel = int(np.argmax(np.where(voiced_cols & loud, S_lin.sum(axis=0), 0)))
    i_fric = int(np.argmax(np.where(~voiced_cols & loud, high, 0)))

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3), layout="constrained", sharey=True)
    for ax, i, what in ((a1, i_vowel, "vowel"), (a2, i_fric, "fricative")):
        ax.plot(spec.freqs_hz, spec.S_db[:, i])
        ax.set(title=f"{what} at {spec.times_s[i]:.2f} s", xlabel="frequency (Hz)")
    a1.set_ylabel("level (dB)")
    plt.show()
    print(f"Share of energy above 4 kHz: vowel {high[i_vowel]:.0%}, fricative {high[i_fric]:.0%}")
    seg = lambda i: y[max(0, int((spec.times_s[i] - 0.12) * sr)): int((spec.times_s[i] + 0.12) * sr)]
    players(**{"around the vowel": (seg(i_vowel), sr), "around the fricative": (seg(i_fric), sr)})
    """),
    md("""
    ### Narrowband and wideband: the window length trade-off

    A long window separates close frequencies but blurs time; a short one does the opposite. With a 50 ms window
    (a *narrowband* spectrogram) you see the individual harmonics; with 5 ms (*wideband*) the harmonics merge
    and you see each glottal pulse as a vertical striation, and the formants as smooth bands.
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained", sharey=True)
    for ax, win_ms in zip(axes, (50, 5)):
        w = int(win_ms / 1000 * sr)
        n_fft = int(2 ** np.ceil(np.log2(max(w, 64))))
        plot_spectrogram(stft_db(y, sr=sr, n_fft=n_fft, hop_length=40, win_length=w), ax=ax, fmax_hz=4000)
        ax.set_title(f"{win_ms} ms window: resolves about {4 * sr / w:.0f} Hz ({sr / n_fft:.0f} Hz per bin)")
        ax.set_xlim(spec.times_s[i_vowel] - 0.4, spec.times_s[i_vowel] + 0.4)
    plt.show()
    """),
    md("""
    ## 4. The mel spectrogram: what a TTS model predicts

    Hearing resolves low frequencies finely and high frequencies coarsely: 100 Hz and 200 Hz sound an octave
    apart, 5000 Hz and 5100 Hz almost the same. The **mel scale** imitates that. A mel spectrogram adds the STFT
    bins up into (typically) 80 triangular bands, narrow at low frequencies and wide at high ones, and takes the
    logarithm. The result is much smaller than the waveform and smooth enough for a network to predict frame by
    frame. Tacotron 2 and FastSpeech 2 predict mel frames directly; VITS and StyleTTS 2 (on which Kokoro is
    built) are trained against mel spectrograms and end in a vocoder-like decoder that makes the waveform.
    In the lab: `toolkit.analysis.mel_spectrogram_db`.

    The first figure draws the filters themselves: each mel band is a triangle over the STFT bins, narrow and
    dense at low frequencies and wide at high ones (20 bands here so each triangle can be seen; models use 80).
    """),
    code("""
    import librosa

    fb = librosa.filters.mel(sr=SR, n_fft=512, n_mels=20)
    fig, ax = plt.subplots(figsize=(10, 2.6), layout="constrained")
    ax.plot(np.fft.rfftfreq(512, 1 / SR), fb.T)
    ax.set(xlabel="frequency (Hz)", ylabel="weight", title="20 triangular mel filters (librosa, Slaney scale)")
    plt.show()
    """),
    code("""
    mel = mel_spectrogram_db(y, sr=sr, n_mels=80)
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 3.5), layout="constrained", gridspec_kw={"width_ratios": [1, 3]})
    a1.plot(np.arange(len(mel.freqs_hz)), mel.freqs_hz, ".")
    a1.set(xlabel="mel band", ylabel="centre frequency (Hz)", title="80 mel bands")
    plot_spectrogram(mel, ax=a2, colorbar=True)
    a2.set_title("Mel spectrogram (dB re the loudest cell)")
    plt.show()
    print(f"waveform: {len(y):,} numbers; STFT: {spec.S_db.size:,}; mel: {mel.S_db.size:,} "
          f"({len(y) / mel.S_db.size:.1f} samples per mel number)")
    """),
    md("""
    ## 5. Back to sound: Griffin-Lim, and why models need a vocoder

    A mel spectrogram keeps the level in each band and throws away two things: the detail inside each band and
    the **phase** (where each wave is in its cycle). To get sound back we must invent both. The classical
    Griffin-Lim algorithm (Griffin & Lim 1984) starts from random phase and alternates between the signal and its
    spectrogram until they agree. `toolkit.analysis.mel_to_audio` does this (via librosa). Listen: the words
    survive, the voice sounds metallic and "phasey", and with only 20 mel bands it gets rough and buzzy.

    That gap is why every neural TTS system has a **vocoder**, a network trained on real speech to turn mel
    frames into natural waveforms (WaveNet, HiFi-GAN, Vocos; Kokoro uses an iSTFTNet decoder). A clone can have
    the right mel frames and still sound synthetic if the vocoder fails on that voice.
    """),
    code("""
    gl_80 = mel_to_audio(y, sr=sr, n_mels=80, n_iter=32)
    gl_20 = mel_to_audio(y, sr=sr, n_mels=20, n_iter=32)


    def mean_db_difference(ref, est):
        \"\"\"Mean absolute difference of two STFTs in dB, over cells within 60 dB of the loudest.\"\"\"
        a, b = stft_db(ref, sr=sr).S_db, stft_db(est, sr=sr).S_db
        keep = a > a.max() - 60
        return float(np.mean(np.abs(a - b)[keep]))


    print(f"mean |dB| difference to the original STFT: 80 bands {mean_db_difference(y, gl_80):.1f} dB, "
          f"20 bands {mean_db_difference(y, gl_20):.1f} dB")
    players(original=(y, sr), **{"Griffin-Lim, 80 mel bands": (gl_80, sr), "Griffin-Lim, 20 mel bands": (gl_20, sr)})
    """),
    md("""
    ## 6. Try it: window, hop and mel bands

    Move the sliders and watch both pictures. Things to try:

    * a **long window** (60-100 ms): harmonics sharp, onsets smeared; a **short** one (5-10 ms): the reverse;
    * a **large hop** (30-50 ms): fewer frames, jerky; TTS models use 10-12 ms;
    * **few mel bands** (8-20): formants blur, harmonics vanish; press *Mel → sound* and listen.
    """),
    code("""
    from toolkit.ui.spectrogram_explorer import SpectrogramExplorer

    explorer = SpectrogramExplorer(Clip(y, sr, name=clip.name))
    display(explorer.widget)
    """),
    md("""
    ## 7. Your own voice

    Record a sentence with some **s** and **sh** sounds and a few different vowels ("She sells sea shells by the
    sea shore" works), or upload a file. The explorer below switches to your recording as soon as it arrives.
    Can you find your own harmonics, formants and fricatives?
    """),
    code("""
    from toolkit.ui.recorder import RecorderPanel

    recorder = RecorderPanel(initial_example="vctk_p228_b")
    my_explorer = SpectrogramExplorer(recorder.clip)
    recorder.on_clip(my_explorer.set_clip)
    display(recorder.widget, my_explorer.widget)
    if recorder.clip.source == "example":
        print(f"No recording yet: showing the example clip “{recorder.clip.name}”. Record yourself above to replace it.")
    """),
    md("""
    ## Summary

    * A spectrogram is the spectra of short overlapping frames side by side; window length trades frequency
      detail against time detail.
    * Harmonics (spacing = pitch) come from the voice source; formants (the envelope's peaks) from the vocal
      tract. Vowels show both, fricatives show high-frequency noise, pauses are dark.
    * TTS models predict mel spectrograms: compact, perceptually spaced, smooth. Phase and fine detail are gone,
      so a trained vocoder must put them back; Griffin-Lim shows what happens without one.

    """),
    EXERCISES,
    QUIZ,
    md("""
    ## Further reading and sources

    * D. W. Griffin, J. S. Lim (1984). Signal estimation from modified short-time Fourier transform. *IEEE Trans.
      Acoustics, Speech, and Signal Processing* 32(2), 236-243. The Griffin-Lim algorithm.
    * S. S. Stevens, J. Volkmann, E. B. Newman (1937). A scale for the measurement of the psychological magnitude
      pitch. *J. Acoust. Soc. Am.* 8(3), 185-190. The origin of the mel scale.
    * J. Shen et al. (2018). Natural TTS synthesis by conditioning WaveNet on mel spectrogram predictions
      (Tacotron 2). *ICASSP 2018*. arXiv:1712.05884. The "text → mel → vocoder" design.
    * J. Kong, J. Kim, J. Bae (2020). HiFi-GAN: generative adversarial networks for efficient and high fidelity
      speech synthesis. *NeurIPS 2020*. arXiv:2010.05646.
    * M. Müller (2021). *Fundamentals of Music Processing*, 2nd ed., Springer, chapter 2, and its FMP notebooks
      (audiolabs-erlangen.de/FMP): the STFT explained with code.
    * P. Ladefoged, K. Johnson (2014). *A Course in Phonetics*, 7th ed., Cengage, chapter 8: reading spectrograms
      of vowels and consonants.
    * P. Boersma (1993). Accurate short-term analysis of the fundamental frequency and the harmonics-to-noise ratio
      of a sampled sound. *IFA Proceedings* 17, 97-110. The pitch tracker used here (Praat, via Parselmouth).
    * B. McFee et al. (2015). librosa: audio and music signal analysis in Python. *Proc. SciPy*, 18-25.

    ## Credits

    Real speech: VCTK speaker p228 (CSTR VCTK Corpus, (c) 2019 Junichi Yamagishi, University of Edinburgh,
    CC BY 4.0), shipped in `media/` with its credit (`media/README.md`). The synthetic vowel is made by
    `media/make_media.py`. Spectrograms by librosa; pitch and formants by Praat through Parselmouth (Jadoul,
    Thompson & de Boer 2018). The text is the lab's own.
    """),
]

if __name__ == "__main__":
    write("01_spectrograms", cells, title="01 · Seeing sound: spectrograms")
