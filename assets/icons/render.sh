#!/bin/sh
# Render the icon's PNG sizes from the SVG into the hicolor layout that `make install-desktop`
# copies as it is (hicolor/NxN/apps/io.github.tempo_coach.TempoCoach.png). The PNGs are committed, so building and
# installing need no renderer; only a changed SVG does. Needs rsvg-convert (Debian:
# librsvg2-bin). tests/packaging/test_desktop.py checks every size is there and square.
set -eu
cd "$(dirname "$0")"
svg=hicolor/scalable/apps/io.github.tempo_coach.TempoCoach.svg
for size in 16 22 24 32 48 64 128 256 512; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert --width "$size" --height "$size" --output "hicolor/${size}x${size}/apps/io.github.tempo_coach.TempoCoach.png" "$svg"
done
