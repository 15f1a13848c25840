#!/usr/bin/env bash
# Downloads the raw sources of a data set into a cache folder (idempotent: a finished download is reused).
#   scripts/fetch-data.sh emoji3        .cache/data   -> npm emoji-datasource-{google,twitter}@16.0.0, Debian ruby-gemojione
#   scripts/fetch-data.sh emoji         .cache/data   -> the emoji3 sources + npm openmoji@17.0.0, fluentui-emoji@1.3.0
#   scripts/fetch-data.sh fashion-mnist .cache/data   -> Debian dataset-fashion-mnist
# Only npm and apt are used (apt-get download + dpkg -x: nothing is installed).
set -euo pipefail
dataset="${1:?usage: fetch-data.sh <emoji|emoji3|fashion-mnist> <cache-dir>}"
cache="${2:?usage: fetch-data.sh <emoji|emoji3|fashion-mnist> <cache-dir>}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
tmp=""
trap '[[ -n "$tmp" ]] && rm -rf "$tmp"' EXIT   # an interrupted download leaves no partial folder behind

# npm_pkg NAME VERSION: unpack the npm tarball into $cache/NAME-VERSION (marker file .done when complete).
npm_pkg() {
  local name="$1" version="$2" dest="$cache/$1-$2"
  [[ -f "$dest/.done" ]] && { echo "cached: $name@$version"; return; }
  command -v npm >/dev/null || { echo "npm not found: install Node.js and npm (e.g. apt-get install npm)" >&2; exit 1; }
  echo "fetching npm $name@$version"
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null)
  mkdir -p "$tmp/x" && tar -xzf "$tmp"/*.tgz -C "$tmp/x"
  rm -rf "$dest" && mv "$tmp/x/package" "$dest" && rm -rf "$tmp" && tmp=""
  touch "$dest/.done"
}

# deb_pkg NAME: extract the Debian package into $cache/NAME (marker .done when complete).
deb_pkg() {
  local name="$1" dest="$cache/$1"
  [[ -f "$dest/.done" ]] && { echo "cached: deb $name"; return; }
  echo "fetching deb $name"
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  if ! (cd "$tmp" && apt-get download "$name" >/dev/null 2>&1); then
    echo "apt-get download $name failed; running apt-get update first" >&2
    if [[ $(id -u) -eq 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
    (cd "$tmp" && apt-get download "$name")
  fi
  mkdir -p "$tmp/x" && dpkg -x "$tmp"/*.deb "$tmp/x"
  rm -rf "$dest" && mv "$tmp/x" "$dest" && rm -rf "$tmp" && tmp=""
  touch "$dest/.done"
}

case "$dataset" in
  emoji|emoji3)
    npm_pkg emoji-datasource-google 16.0.0
    npm_pkg emoji-datasource-twitter 16.0.0
    deb_pkg ruby-gemojione
    if [[ "$dataset" == emoji ]]; then
      npm_pkg openmoji 17.0.0
      npm_pkg fluentui-emoji 1.3.0
    fi
    ;;
  fashion-mnist)
    deb_pkg dataset-fashion-mnist
    ;;
  *) echo "unknown data set '$dataset' (emoji | emoji3 | fashion-mnist)" >&2; exit 2 ;;
esac
