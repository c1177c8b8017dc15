"""The package layout: the one part of the build that pyproject.toml cannot say well.

The committed cue sounds stay in ``assets/sounds/`` (a folder the design names), outside the
package; the build maps them into it as ``tempo_coach.assets.sounds``, where
``tempo_coach.audio.sounds`` reads them with ``importlib.resources`` (the spoken words too, in
its ``voice/`` folder). The desktop integration is mapped the same way, so that an installed
wheel carries everything a desktop needs: the icon (``assets/icons/hicolor/``, as
``tempo_coach.assets.icons``) and the freedesktop entry and AppStream metainfo
(``packaging/linux/``, as ``tempo_coach.assets.linux``).

pyproject.toml can map a folder (``package-dir``) only into packages listed by hand, and a
list kept by hand misses the next subpackage; here the packages are discovered and the
assets added. Everything else is in pyproject.toml, and MANIFEST.in says what the sdist adds
besides. ``tests/packaging/test_wheel.py`` builds both and installs the wheel.
"""

from setuptools import find_packages, setup

SOUNDS = "tempo_coach.assets.sounds"
ICONS = "tempo_coach.assets.icons"
LINUX = "tempo_coach.assets.linux"

setup(
    packages=[*find_packages(include=["tempo_coach", "tempo_coach.*"]), SOUNDS, ICONS, LINUX],
    package_dir={SOUNDS: "assets/sounds", ICONS: "assets/icons", LINUX: "packaging/linux"},
    # Exactly the files package_data names, not whatever MANIFEST.in puts beside them: the
    # sdist carries the whole of assets/ and packaging/ (their READMEs and generators too), the
    # wheel only what the app reads. It also spares setuptools' "Package would be ignored"
    # warning for data folders whose names could be packages (voice/, hicolor/scalable/apps/).
    include_package_data=False,
    package_data={
        "tempo_coach": ["py.typed"],
        SOUNDS: ["*.wav", "voice/*.wav"],
        ICONS: ["hicolor/*/apps/*.png", "hicolor/*/apps/*.svg"],
        LINUX: ["*.desktop", "*.metainfo.xml", "install-desktop.sh"],
    },
)
