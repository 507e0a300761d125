#!/usr/bin/env bash
# Builds real package databases with the real package managers, for
# src/pkg's tests (pkg_real_test.cc), into OUT_DIR:
#
#   tests/data/make_pkg_fixtures.sh OUT_DIR
#
#   dpkg/root/     three tiny .debs built with dpkg-deb --build and installed
#                  with dpkg --root: whittle-hello (depends on whittle-lib-dev),
#                  whittle-lib-dev, and whittle-gone, installed then removed
#                  (left in "deinstall ok config-files" by its conffile)
#   distroless/root/var/lib/dpkg/status.d/  the same .debs' control and
#                  md5sums members as distroless writes them (NAME and
#                  NAME.md5sums, GoogleContainerTools/distroless dpkg_status.go)
#                  and as rules_distroless does (NAME/control, NAME/md5sums)
#   rpm/root/      a tiny noarch rpm built with rpmbuild and installed with
#                  rpm --root into an SQLite rpmdb (var/lib/rpm/rpmdb.sqlite)
#   pip/site/      pip install --target of a locally built wheel (a module,
#                  a subpackage, a console script), offline
#   npm/app/       npm install --offline of two local tarballs made by
#                  npm pack: whittle-left and the scoped @whittle/right
#   expected.txt   facts re-derived from the tools themselves (dpkg-query,
#                  rpm -ql, pip's RECORD, npm ls) for the test to compare
#
# Needs dpkg-dev, rpm, python3-pip (+ setuptools, wheel) and npm
# (scripts/install-deps.sh). No network. Idempotent: a stamp with this
# script's hash skips the rebuild.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SELF_HASH=$(sha256sum "$HERE/$(basename "$0")" | cut -d' ' -f1)
if [[ -f "$OUT/.stamp" ]] && grep -q "^hash=$SELF_HASH\$" "$OUT/.stamp"; then
  exit 0
fi
for tool in dpkg-deb dpkg dpkg-query rpmbuild rpm npm; do
  command -v "$tool" >/dev/null || { echo "$0: $tool not found (run scripts/install-deps.sh)" >&2; exit 1; }
done
PY=/usr/bin/python3
rm -rf "$OUT"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK="$OUT/.work"
mkdir -p "$WORK"
EXPECTED="$OUT/expected.txt"
: >"$EXPECTED"
# The tools' chatter goes to a log that is shown when a step fails.
LOG="$OUT/make.log"
: >"$LOG"
trap 'echo "$0: failed at line $LINENO; last tool output:" >&2; tail -20 "$LOG" >&2' ERR

# --- dpkg -------------------------------------------------------------------
make_deb() {  # NAME DEPENDS PRIORITY, files from $WORK/deb/NAME/
  local name=$1 depends=$2 priority=$3 dir="$WORK/deb/$1"
  mkdir -p "$dir/DEBIAN"
  {
    echo "Package: $name"
    echo "Version: 1.2-3"
    echo "Architecture: all"
    echo "Maintainer: whittle tests <tests@example.invalid>"
    echo "Priority: $priority"
    [[ -n "$depends" ]] && echo "Depends: $depends"
    echo "Description: whittle test package $name"
    echo " A second description line."
  } >"$dir/DEBIAN/control"
  # md5sums as dh_md5sums writes it: "<md5>  <path relative to />" per file.
  (cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    >"$dir/DEBIAN/md5sums"
  dpkg-deb --root-owner-group --build "$dir" "$WORK/deb/$name.deb" >>"$LOG"
}
mkdir -p "$WORK/deb/whittle-hello/usr/bin" "$WORK/deb/whittle-hello/usr/share/doc/whittle-hello"
printf '#!/bin/sh\necho hello\n' >"$WORK/deb/whittle-hello/usr/bin/whittle-hello"
chmod 755 "$WORK/deb/whittle-hello/usr/bin/whittle-hello"
echo "read me" >"$WORK/deb/whittle-hello/usr/share/doc/whittle-hello/README"
make_deb whittle-hello "whittle-lib-dev (>= 1.0)" optional
mkdir -p "$WORK/deb/whittle-lib-dev/usr/include" "$WORK/deb/whittle-lib-dev/usr/lib/whittle"
echo "int whittle(void);" >"$WORK/deb/whittle-lib-dev/usr/include/whittle.h"
echo "!<arch>" >"$WORK/deb/whittle-lib-dev/usr/lib/whittle/libwhittle.a"
make_deb whittle-lib-dev "" optional
mkdir -p "$WORK/deb/whittle-gone/etc" "$WORK/deb/whittle-gone/usr/share/whittle-gone"
echo "conf" >"$WORK/deb/whittle-gone/etc/whittle-gone.conf"
echo "data" >"$WORK/deb/whittle-gone/usr/share/whittle-gone/data"
mkdir -p "$WORK/deb/whittle-gone/DEBIAN"
echo /etc/whittle-gone.conf >"$WORK/deb/whittle-gone/DEBIAN/conffiles"
make_deb whittle-gone "" extra

DROOT="$OUT/dpkg/root"
mkdir -p "$DROOT/var/lib/dpkg/info" "$DROOT/var/lib/dpkg/updates"
touch "$DROOT/var/lib/dpkg/status"
DPKG=(dpkg --root="$DROOT" --log=/dev/null --force-script-chrootless --force-not-root)
"${DPKG[@]}" -i "$WORK/deb/whittle-lib-dev.deb" "$WORK/deb/whittle-hello.deb" "$WORK/deb/whittle-gone.deb" >>"$LOG" 2>&1
"${DPKG[@]}" --remove whittle-gone >>"$LOG" 2>&1
for p in whittle-hello whittle-lib-dev; do
  dpkg-query --admindir="$DROOT/var/lib/dpkg" -L "$p" | sed "s|^|dpkg $p |" >>"$EXPECTED"
done
dpkg-query --admindir="$DROOT/var/lib/dpkg" -W -f='dpkg-status ${Package} ${db:Status-Abbrev}\n' >>"$EXPECTED"

# --- distroless status.d ----------------------------------------------------
SD="$OUT/distroless/root/var/lib/dpkg/status.d"
mkdir -p "$SD/whittle-lib-dev"
dpkg-deb -e "$WORK/deb/whittle-hello.deb" "$WORK/ctrl-hello"
cp "$WORK/ctrl-hello/control" "$SD/whittle-hello"
cp "$WORK/ctrl-hello/md5sums" "$SD/whittle-hello.md5sums"
dpkg-deb -e "$WORK/deb/whittle-lib-dev.deb" "$WORK/ctrl-lib"
cp "$WORK/ctrl-lib/control" "$SD/whittle-lib-dev/control"
cp "$WORK/ctrl-lib/md5sums" "$SD/whittle-lib-dev/md5sums"

# --- rpm (SQLite rpmdb) -----------------------------------------------------
RTOP="$WORK/rpmbuild"
mkdir -p "$RTOP/SPECS"
cat >"$RTOP/SPECS/whittle-rpm.spec" <<'SPEC'
Name: whittle-rpm
Version: 2.0
Release: 5
Summary: whittle test package
License: MIT
BuildArch: noarch
%description
whittle test package
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/whittle-rpm
printf '#!/bin/sh\necho rpm\n' > %{buildroot}/usr/bin/whittle-rpm
echo data > %{buildroot}/usr/share/whittle-rpm/data.txt
%files
%attr(0755,root,root) /usr/bin/whittle-rpm
%dir /usr/share/whittle-rpm
/usr/share/whittle-rpm/data.txt
SPEC
rpmbuild --quiet --define "_topdir $RTOP" -bb "$RTOP/SPECS/whittle-rpm.spec" >>"$LOG" 2>&1
RROOT="$OUT/rpm/root"
mkdir -p "$RROOT"
RPM=(rpm --root "$RROOT" --dbpath /var/lib/rpm --define '_db_backend sqlite')
"${RPM[@]}" --initdb >>"$LOG" 2>&1
"${RPM[@]}" -i --nodeps --noscripts --ignorearch --ignoreos "$RTOP"/RPMS/noarch/whittle-rpm-2.0-5.noarch.rpm >>"$LOG" 2>&1
"${RPM[@]}" -ql whittle-rpm | sed 's|^|rpm whittle-rpm |' >>"$EXPECTED"
"${RPM[@]}" -q --qf 'rpm-nvra %{NAME} %{VERSION}-%{RELEASE} %{ARCH}\n' whittle-rpm >>"$EXPECTED"
[[ -f "$RROOT/var/lib/rpm/rpmdb.sqlite" ]] || { echo "$0: rpm wrote no rpmdb.sqlite" >&2; exit 1; }

# --- pip (RECORD) -----------------------------------------------------------
PROJ="$WORK/pyproj"
mkdir -p "$PROJ/whittle_py/sub"
cat >"$PROJ/setup.py" <<'PYEOF'
from setuptools import setup
setup(name="Whittle_Py", version="0.3.1", packages=["whittle_py", "whittle_py.sub"],
      entry_points={"console_scripts": ["whittle-py=whittle_py:main"]})
PYEOF
printf 'def main():\n    print("hi")\n' >"$PROJ/whittle_py/__init__.py"
: >"$PROJ/whittle_py/sub/__init__.py"
"$PY" -m pip wheel --quiet --no-deps --no-index --no-build-isolation -w "$WORK/wheels" "$PROJ" >>"$LOG" 2>&1
"$PY" -m pip install --quiet --no-deps --no-index --no-compile --target "$OUT/pip/site" "$WORK"/wheels/*.whl >>"$LOG" 2>&1
RECORD=$(ls "$OUT"/pip/site/*.dist-info/RECORD)
echo "pip-record ${RECORD#"$OUT"/}" >>"$EXPECTED"
"$PY" - "$RECORD" >>"$EXPECTED" <<'PYEOF'
import csv, os, sys
rec = sys.argv[1]
site = os.path.dirname(os.path.dirname(rec))
with open(rec, newline="") as f:
    for row in csv.reader(f):
        print("pip", os.path.normpath(os.path.join(site, row[0]))[len(site):] if not row[0].startswith("../")
              else "ESCAPES " + row[0])
PYEOF

# --- npm (node_modules) -----------------------------------------------------
for spec in "whittle-left:left" "@whittle/right:right"; do
  name=${spec%%:*} dir="$WORK/npm/${spec##*:}"
  mkdir -p "$dir/lib" "$dir/test"
  printf '{"name": "%s", "version": "1.0.%s", "main": "lib/index.js"}\n' "$name" "${#name}" >"$dir/package.json"
  echo "module.exports = 1;" >"$dir/lib/index.js"
  echo '{"type": "module"}' >"$dir/lib/package.json"
  echo "// test" >"$dir/test/t.js"
  (cd "$WORK/npm" && npm pack --silent "$dir" >>"$LOG" 2>&1)
done
mkdir -p "$OUT/npm/app"
echo '{"name": "whittle-app", "version": "0.0.0", "private": true}' >"$OUT/npm/app/package.json"
(cd "$OUT/npm/app" && npm install --silent --offline --no-audit --no-fund \
  "$WORK"/npm/whittle-left-*.tgz "$WORK"/npm/whittle-right-*.tgz >>"$LOG" 2>&1)
(cd "$OUT/npm/app" && npm ls --parseable --all 2>/dev/null | sed "s|^$OUT||; s|^|npm-dir |") >>"$EXPECTED"

rm -rf "$WORK"
echo "hash=$SELF_HASH" >"$OUT/.stamp"
