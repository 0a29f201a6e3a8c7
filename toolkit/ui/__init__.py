"""ipywidgets panels. Only this package imports widgets; each panel wires controls to toolkit functions.

* :class:`toolkit.ui.recorder.RecorderPanel`: microphone / upload / example → a Clip.
* :class:`toolkit.ui.conduction_explorer.ConductionExplorer`: bone-mix slider and ears-plugged toggle → curves and players.
* :class:`toolkit.ui.spectrogram_explorer.SpectrogramExplorer`: window, hop and mel-band sliders → STFT and mel pictures, Griffin-Lim.
* :class:`toolkit.ui.prosody_explorer.ProsodyExplorer`: pitch, intonation range, tempo and pause sliders → resynthesised speech.
* :class:`toolkit.ui.report_card.ReportCard`: a reference's quality checks as traffic lights, tips and a spectrogram.
* :class:`toolkit.ui.tweaker.ReferenceTweaker`: noise, echo, second-voice, clipping, speed, volume and trim sliders → re-checked reference.
* :class:`toolkit.ui.clone_studio.CloneStudio`: reference, text, language and stage toggles → the clone after each stage, similarity meters.
* :mod:`toolkit.ui.notebook`: what every teaching notebook shares: labelled players that keep real levels, ``voice()``.
* :mod:`toolkit.ui.quiz`: the notebooks' self-check quizzes, as folded HTML (no kernel needed).
* :mod:`toolkit.ui.app`: the Voila app (``notebooks/app.ipynb``), assembled from the panels above and
  :mod:`~toolkit.ui.clone_flow` (the clone stage by stage, with progress), :mod:`~toolkit.ui.results`
  (players, spectrograms, similarity, download, hear yourself), :mod:`~toolkit.ui.voice_map` and :mod:`~toolkit.ui.style`.
"""
