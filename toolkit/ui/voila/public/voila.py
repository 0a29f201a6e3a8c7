# Voila configuration that `voice-lab serve --max-visitors` adds for the public site (toolkit.ui.limits.voila_flags).
# A Python file because Voila's prelaunch hook is a callable, which the command line cannot set.
from toolkit.ui.limits import prelaunch_hook

c.VoilaConfiguration.prelaunch_hook = prelaunch_hook  # noqa: F821 - `c` is given by traitlets
