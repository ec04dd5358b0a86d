#!/usr/bin/env bash
# Build Batch Size Lab's installer bundle from a clone: bash packaging/build.sh
#
# Makes its own build environment (build/venv: Python 3.11, the app's pinned packages and
# PyInstaller), runs PyInstaller on packaging/batch_size_lab.spec, checks the frozen app with
# --self-test, and packs the onedir bundle with a .desktop file and the icon:
#   build/dist/BatchSizeLab/BatchSizeLab                 the app (run it from there)
#   build/BatchSizeLab-VERSION-linux-x86_64.tar.gz       what to hand out
# On Windows and macOS run the same steps by hand (README, "Installer").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed (found %d.%d)" % sys.version_info[:2]'

VENV=build/venv
if [ ! -e "$VENV/.installed" ] || [ pyproject.toml -nt "$VENV/.installed" ] || [ packaging/requirements.txt -nt "$VENV/.installed" ]; then
    rm -rf "$VENV"
    mkdir -p build
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    # The app's pinned packages (pyproject.toml) and the tools; the app's code is read from
    # this clone, not installed.
    "$VENV/bin/python" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > build/app-requirements.txt
    "$VENV/bin/python" -m pip install --quiet -r build/app-requirements.txt -r packaging/requirements.txt
    touch "$VENV/.installed"
fi

# Translations compiled from their sources, so the bundle never carries a stale .qm.
"$VENV/bin/pyside6-lrelease" resources/translations/batchsizelab_zh_CN.ts \
    -qm resources/translations/batchsizelab_zh_CN.qm -silent

"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath build/dist --workpath build/work packaging/batch_size_lab.spec

APP=build/dist/BatchSizeLab
echo "Checking the frozen app:"
"$APP/BatchSizeLab" --self-test

VERSION=$("$VENV/bin/python" -c 'import engine.resources as r; print(r.__version__)')
ARCH=$(uname -m)
STAGE=build/stage/BatchSizeLab
rm -rf build/stage && mkdir -p build/stage
cp -a "$APP" "$STAGE"
cp packaging/batch-size-lab.desktop resources/icons/batch-size-lab.png packaging/INSTALL.txt "$STAGE/"
TARBALL=build/BatchSizeLab-$VERSION-linux-$ARCH.tar.gz
tar -C build/stage -czf "$TARBALL.part" BatchSizeLab
mv "$TARBALL.part" "$TARBALL"

echo
echo "bundle:  $ROOT/$APP  ($(du -sh "$APP" | cut -f1))"
echo "archive: $ROOT/$TARBALL  ($(du -h "$TARBALL" | cut -f1))"
