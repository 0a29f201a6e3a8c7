# Voila's config file for the lab (serve.voila_command points Voila here): the settings that cannot be flags.
# The values live once, in toolkit/ui/serve.py.
from toolkit.ui.serve import TORNADO_SETTINGS

c.Voila.tornado_settings = dict(TORNADO_SETTINGS)  # noqa: F821  (traitlets provides `c`)
