#!/usr/bin/env bash
# The .deb CPack builds from this build tree: its Depends come from
# dpkg-shlibdeps and name every runtime library; it holds the binary, the man
# page and the completions; unpacked into a clean directory (dpkg -x) the
# binary runs a verb on a fixture with the same output as the build's; apt
# resolves its Depends (apt-get install --simulate ./whittle_*.deb). As root
# (CI) it is also really installed with `apt-get install ./whittle_*.deb`,
# run from /usr/bin, and purged again.
#   tests/ship/deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
installed=0
cleanup() {
  if [[ $installed == 1 ]]; then apt-get purge -y whittle >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fixture=$src/tests/data/dive/test-docker-image.tar

(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1) || {
  cat "$tmp/cpack.log" >&2
  exit 1
}
debs=("$tmp"/pkg/whittle_*.deb)
[[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || { echo "no single whittle_*.deb in $tmp/pkg" >&2; ls "$tmp/pkg" >&2; exit 1; }
deb=${debs[0]}
echo "package: $(basename "$deb") ($(stat -c %s "$deb") bytes)"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libc6 libstdc++6 libisal2 libzstd1 zlib1g libssl3 libcurl4 libsqlite3-0 libyaml-0-2; do
  # Package names as a list, versions dropped: a literal comparison.
  sed 's/ *([^)]*)//g; s/, */\n/g' <<<"$depends" | grep -xF "$lib" >/dev/null || { echo "Depends lacks $lib" >&2; exit 1; }
done
[[ $(dpkg-deb -f "$deb" Package) == whittle ]]
[[ $(dpkg-deb -f "$deb" Version) == $("$build/whittle" --version | head -1 | cut -d' ' -f2) ]]

dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/contents"
for f in ./usr/bin/whittle ./usr/share/man/man1/whittle.1 ./usr/share/bash-completion/completions/whittle \
         ./usr/share/zsh/vendor-completions/_whittle ./usr/share/fish/vendor_completions.d/whittle.fish; do
  grep -qx "$f" "$tmp/contents" || { echo "$deb lacks $f" >&2; cat "$tmp/contents" >&2; exit 1; }
done

# A clean path: nothing but what the package holds.
dpkg -x "$deb" "$tmp/root"
bin=$tmp/root/usr/bin/whittle
"$bin" --version >"$tmp/version"
head -1 "$tmp/version" | grep '^whittle ' >/dev/null || { echo "bad --version:" >&2; cat "$tmp/version" >&2; exit 1; }
"$bin" history "$fixture" >"$tmp/history.deb"
"$build/whittle" history "$fixture" >"$tmp/history.build"
cmp "$tmp/history.deb" "$tmp/history.build"
[[ $(wc -l <"$tmp/history.deb") -ge 3 ]]
LC_ALL=C.UTF-8 man -l "$tmp/root/usr/share/man/man1/whittle.1" 2>&1 | grep 'whittle history' >/dev/null

# apt resolves the Depends against this system's packages.
apt-get install --simulate "$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; exit 1; }
grep -q '^Inst whittle ' "$tmp/apt.log" || { cat "$tmp/apt.log" >&2; exit 1; }

if [[ $(id -u) == 0 ]]; then
  if dpkg-query -W -f='${Status}' whittle 2>/dev/null | grep 'install ok installed' >/dev/null; then
    echo "a whittle package is installed already; not replacing it" >&2
    exit 1
  fi
  installed=1
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; exit 1; }
  /usr/bin/whittle history "$fixture" | cmp - "$tmp/history.build"
  echo "apt-get install ./$(basename "$deb"): ok"
else
  echo "not root: apt-get install simulated only"
fi
echo "deb: ok"
