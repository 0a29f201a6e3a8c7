"""ipywidgets panels. Only this package imports widgets; each panel wires controls to toolkit functions.

* :class:`toolkit.ui.recorder.RecorderPanel`: microphone / upload / example → a Clip.
* :class:`toolkit.ui.conduction_explorer.ConductionExplorer`: bone-mix slider and ears-plugged toggle → curves and players.
"""
