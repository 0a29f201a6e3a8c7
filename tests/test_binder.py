"""The Binder configuration agrees with the rest of the project."""

import os
import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"


def test_runtime_matches_project_python():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    assert 'requires-python = ">=3.11,<3.12"' in (REPO / "pyproject.toml").read_text()


def test_binder_requirements_include_the_pinned_ones_and_cpu_torch():
    lines = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    includes = [ln.split(None, 1)[1] for ln in lines if ln.startswith("-r ")]
    assert includes == ["../requirements.txt"] and (BINDER / includes[0]).resolve() == REPO / "requirements.txt"
    assert any(ln.startswith("--extra-index-url") and ln.rstrip("/").endswith("/whl/cpu") for ln in lines)
    root = (REPO / "requirements.txt").read_text()
    assert re.search(r"^torch==2\.13\.0$", root, re.M), "torch must stay pinned to the CPU-built version"
    # Every other line of binder/requirements.txt is an option, not a second, divergent pin.
    assert all(ln.startswith("-") for ln in lines)


def test_post_build_is_executable_and_uses_real_commands():
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK)
    text = post.read_text()
    assert "set -euo pipefail" in text
    from toolkit.cli import build_parser

    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for line in text.splitlines():
        if line.startswith("python -m toolkit "):
            assert shlex.split(line)[3] in commands
    copied = re.search(r"cp -r (\S+) ", text).group(1)
    assert (REPO / copied / "conf.json").exists() and (REPO / copied / "index.html.j2").exists()


@pytest.mark.slow
def test_build_steps_run_in_a_fresh_virtual_environment(tmp_path):
    """What Binder does, here: a new venv from binder/requirements.txt, then binder/postBuild, then the app's imports.

    This installs everything again (a few minutes); it is what proves that the Binder requirements resolve on
    Python 3.11, that postBuild prepares the models, fits the example voices and installs the offline template.
    One difference from Binder: this machine's closed network does not reach download.pytorch.org, so the
    copy of the requirements installed here drops the ``--extra-index-url`` line and pip takes the same CPU
    build of torch (2.13.0+cpu) from the machine's local wheels instead.
    """
    import subprocess
    import sys

    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(venv),
           "HOME": str(tmp_path / "home"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    env.pop("JUPYTER_PATH", None)
    (tmp_path / "home").mkdir()

    def run(*args, timeout=1500):
        r = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
        assert r.returncode == 0, f"{' '.join(map(str, args))} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        return r.stdout

    reqs = tmp_path / "binder-requirements.txt"
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    reqs.write_text("\n".join(line.replace("-r ../requirements.txt", f"-r {REPO / 'requirements.txt'}")
                              for line in lines if not line.startswith("--extra-index-url")) + "\n")
    run("pip", "install", "-q", "-r", str(reqs))
    run("bash", str(BINDER / "postBuild"))
    out = run("python", "-c", "import json, torch, toolkit, voila, ipywebrtc; from toolkit.models import kokoro_model_path;"
                              "from toolkit.clone import cache_dir;"
                              "print(json.dumps({'torch': torch.__version__, 'kokoro': kokoro_model_path().exists(),"
                              "'fitted': len(list(cache_dir().glob('*.npz')))}))")
    info = __import__("json").loads(out.strip().splitlines()[-1])
    assert info["torch"].endswith("+cpu"), f"Binder would install a non-CPU torch: {info['torch']}"
    assert info["kokoro"], "postBuild did not assemble the Kokoro model"
    assert info["fitted"] >= 4, "postBuild did not fit the example voices"
    data_dir = Path(run("jupyter", "--data-dir").strip())
    assert (data_dir / "voila" / "templates" / "vcl" / "index.html.j2").exists()
    config = __import__("json").loads((tmp_path / "home" / ".jupyter" / "jupyter_server_config.json").read_text())
    assert config["VoilaConfiguration"]["template"] == "vcl"
    from toolkit.ui.serve import IOPUB_TIMEOUT_S

    assert config["VoilaExecutor"]["iopub_timeout"] == IOPUB_TIMEOUT_S  # same patience as `make app`


def test_zero_to_jupyterhub_values_agree_with_the_lab_hub():
    """docs/z2jh/values.yaml (not run here: no Kubernetes) parses and says what `voice-lab hub` does."""
    yaml = pytest.importorskip("yaml")
    from toolkit.hub.config import APP_URL, USERNAME_PATTERN

    values = yaml.safe_load((REPO / "docs" / "z2jh" / "values.yaml").read_text())
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == "shared-password"
    assert hub["Authenticator"]["username_pattern"] == USERNAME_PATTERN
    assert not hub["SharedPasswordAuthenticator"]["user_password"], "no password in the repository"
    assert values["singleuser"]["defaultUrl"] == APP_URL
    assert values["cull"]["enabled"] is True and values["singleuser"]["storage"]["type"] == "none"


def test_binder_server_config_carries_the_upload_limit():
    from toolkit.defaults import MAX_UPLOAD_BYTES

    text = (BINDER / "postBuild").read_text()
    assert "server_config()" in text and "jupyter_server_config.json" in text
    from toolkit.ui.serve import server_config

    assert server_config()["ServerApp"]["tornado_settings"]["websocket_max_message_size"] > MAX_UPLOAD_BYTES
