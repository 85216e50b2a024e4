#!/usr/bin/env bash
# Install the Debian packages the tests use (Graphviz for diagrams, Chromium for the site
# test, Java and Apache Jena for the export and SHACL cross-checks, Virtuoso for the second
# triple store), when they are missing and we are allowed to. Skipped quietly elsewhere.
set -euo pipefail
packages=()
command -v dot >/dev/null 2>&1 || packages+=(graphviz)
command -v chromium >/dev/null 2>&1 || packages+=(chromium)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
command -v virtuoso-t >/dev/null 2>&1 || packages+=(virtuoso-opensource)
[ -f /usr/share/java/jena-core.jar ] || packages+=(libapache-jena-java)
[ ${#packages[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${packages[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "note: ${packages[*]} missing; the tests that need them will be skipped" >&2
fi
