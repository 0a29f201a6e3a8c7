"""Packaging details that pyproject.toml cannot say: ship media/ and the app notebook inside the wheel.

``media/`` and ``notebooks/`` stay top-level folders of the checkout; the build maps them into the package as
``toolkit._media`` and ``toolkit._notebooks`` (package data read with importlib.resources, see
``toolkit/_resources.py``), so an installed lab finds its example clips and its app from any folder.
Everything else (name, version, dependencies, the ``voice-lab`` script) is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["toolkit", "toolkit.*"]) + ["toolkit._media", "toolkit._notebooks"],
    package_dir={"toolkit._media": "media", "toolkit._notebooks": "notebooks"},
    package_data={
        "toolkit._media": ["*.flac", "*.wav", "*.csv", "*.md", "*.txt"],
        "toolkit._notebooks": ["app.ipynb"],
        "toolkit.ui": ["voila/templates/*/*", "voila/config/*.py", "voila/public/*.py"],
        "toolkit.clone": ["data/*.npz"],
    },
)
