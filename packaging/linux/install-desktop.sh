#!/bin/sh
# Put Tempo Coach in the desktop's menu for this user: the freedesktop entry, the AppStream
# metainfo and the icon in every size, under $XDG_DATA_HOME (default ~/.local/share):
#   applications/io.github.tempo_coach.TempoCoach.desktop
#   metainfo/io.github.tempo_coach.TempoCoach.metainfo.xml
#   icons/hicolor/{16x16,...,512x512,scalable}/apps/io.github.tempo_coach.TempoCoach.{png,svg}
#
#   install-desktop.sh [EXEC [DESKTOP METAINFO ICON_DIR]]
#
# EXEC is the absolute path the menu entry starts (a desktop session's PATH may lack the
# venv's or pipx's bin folder). With no arguments it installs the bundle it sits in (the
# Linux bundle ships it at its top, beside tempo-coach and share/); `make install-desktop`
# passes the checkout's files and the tempo-coach it found. Running it again replaces the
# files; removing them removes Tempo Coach from the menu.
set -eu
ID=io.github.tempo_coach.TempoCoach
here=$(cd "$(dirname "$0")" && pwd)
exec_path=${1:-$here/tempo-coach}
desktop=${2:-$here/share/applications/$ID.desktop}
metainfo=${3:-$here/share/metainfo/$ID.metainfo.xml}
icons=${4:-$here/share/icons/hicolor}
target=${XDG_DATA_HOME:-$HOME/.local/share}

case "$exec_path" in
    /*) ;;
    *) echo "install-desktop.sh: EXEC must be an absolute path, got '$exec_path'" >&2; exit 2 ;;
esac
# The Desktop Entry spec's Exec quoting is kept simple: a path with a space is quoted; one
# with a character that would need escaping there (or in sed here) is refused.
case "$exec_path" in
    *[\\\"\`\$\|\&]*)
        echo "install-desktop.sh: please use a path without \\ \" \` \$ | & : '$exec_path'" >&2
        exit 2 ;;
    *" "*) exec_value="\"$exec_path\"" ;;
    *) exec_value=$exec_path ;;
esac
[ -x "$exec_path" ] || echo "note: $exec_path is not there (yet); the menu entry starts it" >&2

mkdir -p "$target/applications" "$target/metainfo"
# Exec and TryExec name the command; here they get its absolute path.
sed -e "s|^Exec=tempo-coach\$|Exec=$exec_value|" -e "s|^TryExec=tempo-coach\$|TryExec=$exec_path|" \
    "$desktop" > "$target/applications/$ID.desktop.tmp"
mv "$target/applications/$ID.desktop.tmp" "$target/applications/$ID.desktop"
cp "$metainfo" "$target/metainfo/$ID.metainfo.xml"
for icon in "$icons"/*/apps/"$ID".*; do
    size=$(basename "$(dirname "$(dirname "$icon")")")
    mkdir -p "$target/icons/hicolor/$size/apps"
    cp "$icon" "$target/icons/hicolor/$size/apps/"
done

# Menus and icon themes cache what they find; refresh them where the tools are installed.
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$target/applications" || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$target/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$target/icons/hicolor" || true
fi
echo "installed Tempo Coach's menu entry, metainfo and icons in $target (starts $exec_path)"
