"""A workshop on one machine: JupyterHub with the lab's app as every participant's landing page.

``voice-lab hub`` (``make hub``) runs a real JupyterHub, configured by :mod:`toolkit.hub.config`:

* login with a name of one's own and the workshop password (``VOICE_LAB_HUB_PASSWORD``), JupyterHub's
  ``SharedPasswordAuthenticator``; an admin (``VOICE_LAB_HUB_ADMIN`` with ``VOICE_LAB_HUB_ADMIN_PASSWORD``)
  sees everyone's server;
* one single-user Jupyter server per participant, run as a local system user the hub creates
  (``vl-<name>``, home under the state folder, mode 0700), opening on the app (Voila) with JupyterLab and a
  writable copy of the notebooks one click away (:mod:`toolkit.hub.spawner`), with a Python every user can run
  (the host's, or a copy the hub builds under ``/opt/voice-lab`` when theirs is closed: :mod:`toolkit.hub.python`);
* ``jupyterhub-idle-culler`` stops idle servers, a cap on concurrent servers, the app's upload cap and
  websocket limit in every server (``toolkit.ui.serve.server_config``);
* a foreground process that stops on Ctrl-C, with its database, cookie secret and homes in one folder.

See ``docs/hosting.md``.
"""

from .run import HubError, run_hub

__all__ = ["HubError", "run_hub"]
