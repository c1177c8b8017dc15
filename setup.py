"""The package layout: the one part of the build that pyproject.toml cannot say well.

The committed cue sounds stay in ``assets/sounds/`` (a folder the design names), outside the
package; the build maps them into it as ``tempo_coach.assets.sounds``, where
``tempo_coach.audio.sounds`` reads them with ``importlib.resources``. pyproject.toml can map a
folder (``package-dir``) only into packages listed by hand, and a list kept by hand misses
the next subpackage; here the packages are discovered and the sounds added. Everything else
is in pyproject.toml. ``tests/packaging/test_wheel.py`` builds and installs the wheel.
"""

from setuptools import find_packages, setup

SOUNDS = "tempo_coach.assets.sounds"

setup(
    packages=[*find_packages(include=["tempo_coach", "tempo_coach.*"]), SOUNDS],
    package_dir={SOUNDS: "assets/sounds"},
    package_data={"tempo_coach": ["py.typed"], SOUNDS: ["*.wav"]},
)
