#!/usr/bin/env bash
# make dist-check: checks what `make dist` left in dist/ on this machine:
#  1. SHA256SUMS matches every file, and `reliefmesh-hub verify-release` (the
#     linux/amd64 hub just built) verifies each file against the signed sums
#     (with the TEST-ONLY key when dist was signed with it);
#  2. the hubs and the Windows app are executables of the right system and
#     architecture (file), the installer's contents are listed (7z) and hold
#     the app and the WebView2 bootstrapper, the portable zip holds the app;
#  3. the .deb's metadata (depends on the WebKitGTK 4.1 and GTK 3 runtimes) and
#     contents; then, as root: installed with apt-get, started from its
#     installed path under Xvfb (screenshot OUTDIR/dist-deb.png, checked to be
#     more than a blank window), and removed with apt-get: no file it
#     installed is left.
# Usage: scripts/dist-check.sh [OUTDIR]   (default test-output)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-test-output}"); mkdir -p "$out"
SETUP_EXTRA="p7zip-full" scripts/setup.sh
d=dist
[[ -f $d/SHA256SUMS ]] || { echo "dist-check: no $d/SHA256SUMS: run make dist first" >&2; exit 1; }
version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
fail() { echo "dist-check: FAIL: $*" >&2; exit 1; }
ok() { echo "dist-check: ok: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reliefmesh-distcheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# 1. sums and signature
(cd $d && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the files"
ok "SHA256SUMS matches $(wc -l <$d/SHA256SUMS) files"
hub=$d/reliefmesh-hub_${version}_linux_amd64
keyflag=()
grep -q "TEST-ONLY" $d/SHA256SUMS.minisig && keyflag=(--key testdata/release/TEST-ONLY-release.pub)
while read -r _ name; do
  msg=$("$hub" verify-release "${keyflag[@]}" "$d/$name") || fail "verify-release $name: $msg"
done <$d/SHA256SUMS
ok "verify-release: every file verified (${keyflag[*]:-the maintainers keys}); e.g.: $msg"
cp "$hub" "$tmp/altered" && printf x >>"$tmp/altered" && cp $d/SHA256SUMS $d/SHA256SUMS.minisig "$tmp/"
if "$hub" verify-release "${keyflag[@]}" "$tmp/altered" >"$tmp/v.txt" 2>&1; then fail "verify-release accepted an altered hub"; fi
ok "verify-release refuses an altered copy: $(head -1 "$tmp/v.txt" | cut -c1-110)…"

# 2. executables of the right kind
expect() { local f=$1 want=$2; local got; got=$(file -b "$f"); [[ $got == *"$want"* ]] || fail "$f is \"$got\", want \"$want\""; ok "$(basename "$f"): $want"; }
expect "$d/reliefmesh-hub_${version}_linux_amd64" "ELF 64-bit LSB executable, x86-64"
expect "$d/reliefmesh-hub_${version}_linux_arm64" "ELF 64-bit LSB executable, ARM aarch64"
expect "$d/reliefmesh-hub_${version}_windows_amd64.exe" "PE32+ executable (console) x86-64, for MS Windows"
file -b "$d/reliefmesh-hub_${version}_linux_arm64" | grep -q "statically linked" || fail "the arm64 hub is not statically linked (cgo?)"
setup=$d/ReliefMesh-${version}-windows-amd64-setup.exe
expect "$setup" "PE32 executable (GUI) Intel 80386"
7z l "$setup" >"$tmp/7z.txt" || fail "7z cannot list $setup"
echo "dist-check: the installer's contents:"; sed -n '/^---/,/^---/p' "$tmp/7z.txt" | sed 's/^/    /'
grep -q " reliefmesh.exe$" "$tmp/7z.txt" || fail "the installer holds no reliefmesh.exe"
grep -q "webview2bootstrapper/MicrosoftEdgeWebview2Setup.exe" "$tmp/7z.txt" || fail "the installer holds no WebView2 bootstrapper"
7z e -o"$tmp/nsis" "$setup" reliefmesh.exe >/dev/null
expect "$tmp/nsis/reliefmesh.exe" "PE32+ executable (GUI) x86-64, for MS Windows"
ok "the installer holds the app and the WebView2 bootstrapper (run when the runtime is missing)"
unzip -q -d "$tmp/zip" "$d/ReliefMesh-${version}-windows-amd64-portable.zip"
expect "$tmp/zip/ReliefMesh-${version}-windows-amd64/ReliefMesh.exe" "PE32+ executable (GUI) x86-64, for MS Windows"
"$hub" --help >/dev/null || fail "the linux/amd64 hub does not run"
ok "the linux/amd64 hub runs"

# 3. the .deb
deb=$(ls $d/reliefmesh_*_amd64.deb)
dpkg-deb --info "$deb" >"$tmp/info.txt"
grep -q "Depends:.*libwebkit2gtk-4.1-0" "$tmp/info.txt" && grep -q "Depends:.*libgtk-3-0" "$tmp/info.txt" || fail "$deb does not depend on libwebkit2gtk-4.1-0 and libgtk-3-0: $(grep Depends "$tmp/info.txt")"
dpkg-deb --contents "$deb" >"$tmp/contents.txt"
for f in ./usr/bin/reliefmesh ./usr/share/applications/reliefmesh.desktop ./usr/share/icons/hicolor/256x256/apps/reliefmesh.png; do
  grep -q " $f$" "$tmp/contents.txt" || fail "$deb lacks $f"
done
ok "$(basename "$deb"): $(grep "Depends:" "$tmp/info.txt" | xargs), $(grep -c . "$tmp/contents.txt") entries"
if [[ $(id -u) != 0 ]]; then fail "the install test of the .deb needs root (apt-get install; dpkg -L; apt-get remove)"; fi
if dpkg-query -W -f='${Status}' reliefmesh 2>/dev/null | grep -q "install ok installed"; then
  fail "a reliefmesh package is already installed here; remove it first (apt-get remove reliefmesh)"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "./$deb" >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get install $deb"; }
dpkg -L reliefmesh >"$tmp/files.txt"
[[ -x /usr/bin/reliefmesh ]] || fail "/usr/bin/reliefmesh is not there after the install"
ok "installed: $(grep -c . "$tmp/files.txt") paths (dpkg -L)"
data=$(mktemp -d)
# WebKit keeps its files under XDG_DATA_HOME/reliefmesh and XDG_CACHE_HOME/reliefmesh
# (named after the program): point both at the temporary folder too.
export RELIEFMESH_LISTEN=/ip4/127.0.0.1/tcp/0 XDG_DATA_HOME=$data/xdg-data XDG_CACHE_HOME=$data/xdg-cache
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  set -euo pipefail
  out=$1; data=$2
  /usr/bin/reliefmesh --data-dir "$data" >"$out/dist-deb.log" 2>&1 &
  pid=$!
  trap "kill $pid 2>/dev/null || true" EXIT
  for i in $(seq 1 600); do
    xwininfo -root -tree 2>/dev/null | grep -q "ReliefMesh" && break
    kill -0 $pid 2>/dev/null || { echo "the installed app exited:"; cat "$out/dist-deb.log"; exit 1; }
    sleep 0.1
  done
  for i in $(seq 1 300); do
    import -window root "$out/dist-deb.png"
    (( $(convert "$out/dist-deb.png" -format "%k" info:) > 50 )) && exit 0
    sleep 0.2
  done
  echo "the installed app window stayed blank"; exit 1
' _ "$out" "$data" 2>/dev/null || { rm -rf "$data"; apt-get remove -y reliefmesh >/dev/null 2>&1; fail "the installed app did not show its window"; }
rm -rf "$data"
ok "the installed /usr/bin/reliefmesh opened its window under Xvfb: $out/dist-deb.png"
DEBIAN_FRONTEND=noninteractive apt-get remove -y reliefmesh >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log"; fail "apt-get remove reliefmesh"; }
left=()
while read -r p; do
  [[ -e $p && ! -d $p ]] && left+=("$p")
done <"$tmp/files.txt"
((${#left[@]} == 0)) || fail "apt-get remove left files behind: ${left[*]}"
dpkg-query -W -f='${Status}' reliefmesh 2>/dev/null | grep -q "install ok installed" && fail "reliefmesh is still installed"
ok "removed cleanly: none of the $(grep -c . "$tmp/files.txt") installed paths is left (directories shared with other packages stay)"
echo "dist-check: all checks passed"
