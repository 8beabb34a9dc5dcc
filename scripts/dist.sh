#!/usr/bin/env bash
# make dist: every release file of this version into dist/, on a Debian/Ubuntu
# amd64 machine like the CI's, then SHA256SUMS and its signature:
#   reliefmesh_VERSION_amd64.deb                 desktop app for Debian/Ubuntu (dpkg-deb; needs the WebKitGTK 4.1 runtime)
#   ReliefMesh-VERSION-windows-amd64-setup.exe   desktop app, NSIS installer (installs the WebView2 runtime when missing)
#   ReliefMesh-VERSION-windows-amd64-portable.zip  the same app without installing
#   reliefmesh-hub_VERSION_{linux_amd64,linux_arm64,windows_amd64.exe}  the hub (no cgo)
#   reliefmesh-hub.service                       its systemd unit (what `reliefmesh-hub install-service` writes)
#   SHA256SUMS, SHA256SUMS.minisig               sums signed with the release key (minisign, ed25519)
# The release key is the minisign secret key file RELIEFMESH_RELEASE_KEY (its
# password, if any, in RELIEFMESH_RELEASE_KEY_PASSWORD). Without it the sums are
# signed with the TEST-ONLY key of testdata/release and the signed comment says
# so: such a build is for testing, never a release.
# The .deb is made with dpkg-deb: Debian's own tool for the format we ship, on
# every Debian/Ubuntu machine already, and no new Go module for one file format.
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_EXTRA="nsis" scripts/setup.sh
version=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
[[ -n $version ]] || { echo "dist: no productVersion in wails.json" >&2; exit 1; }
out=dist
rm -rf "$out" && mkdir -p "$out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/reliefmesh-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
t0=$SECONDS
step() { echo "dist: $* ($((SECONDS - t0)) s)"; }

step "frontend"
(cd frontend && npm run build >/dev/null)
# -s: the frontend is built above (and wails would otherwise run npm ci);
# -skipbindings: the committed bindings are current (make build regenerates them).
WAILS=(go tool wails build -s -skipbindings -m -nosyncgomod -trimpath -ldflags "-s -w")

step "desktop app, linux/amd64"
"${WAILS[@]}" -tags webkit2_41 -platform linux/amd64 >"$stage/wails-linux.log" 2>&1 || { cat "$stage/wails-linux.log"; exit 1; }
pkg=$stage/deb
install -D -m 0755 build/bin/reliefmesh "$pkg/usr/bin/reliefmesh"
install -D -m 0644 build/linux/reliefmesh.desktop "$pkg/usr/share/applications/reliefmesh.desktop"
for s in 16 32 48 64 128 256 512; do
  d="$pkg/usr/share/icons/hicolor/${s}x${s}/apps"; mkdir -p "$d"
  convert build/appicon.png -resize "${s}x${s}" -strip "$d/reliefmesh.png"
done
install -d "$pkg/usr/share/doc/reliefmesh"
{
  echo "ReliefMesh (聚援) $version: offline-first coordination of volunteer disaster relief."
  echo
  echo "The practice network's data embedded in the program comes from the wuhan2020"
  echo "community (github.com/wuhan2020/wuhan2020), under this licence:"
  echo
  cat practice/data/LICENSE-MIT-wuhan2020.txt
} >"$pkg/usr/share/doc/reliefmesh/copyright"
install -d "$pkg/DEBIAN"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: reliefmesh
Version: $version
Architecture: amd64
Maintainer: ReliefMesh maintainers <maintainers@reliefmesh.invalid>
Depends: libwebkit2gtk-4.1-0, libgtk-3-0, libc6
Section: net
Priority: optional
Installed-Size: $(du -sk "$pkg/usr" | cut -f1)
Description: 聚援 ReliefMesh - offline-first volunteer relief coordination
 Volunteer networks record demands, review and publish them, match them with
 volunteers and offers and see them through. Every laptop keeps the whole
 incident and exchanges signed changes with the others over the local network,
 hubs or USB sticks, so work goes on when the internet is down.
CONTROL
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$out/reliefmesh_${version}_amd64.deb" >/dev/null

step "desktop app, windows/amd64 (NSIS installer, portable zip)"
"${WAILS[@]}" -platform windows/amd64 -nsis >"$stage/wails-windows.log" 2>&1 || { cat "$stage/wails-windows.log"; exit 1; }
cp build/bin/reliefmesh-amd64-installer.exe "$out/ReliefMesh-${version}-windows-amd64-setup.exe"
port=$stage/ReliefMesh-${version}-windows-amd64
mkdir -p "$port"
cp build/bin/reliefmesh.exe "$port/ReliefMesh.exe"
cat >"$port/README.txt" <<README
ReliefMesh 聚援 $version — portable (no installation)

中文：双击 ReliefMesh.exe 即可运行。需要 Microsoft Edge WebView2 运行时（Windows 10/11
一般已自带；若窗口打不开，请改用安装包 ReliefMesh-${version}-windows-amd64-setup.exe，
它会在缺少时安装）。数据保存在用户目录下的 .local\\share\\reliefmesh；
用 --data-dir 可以指定其他位置（例如 U 盘）。

English: double-click ReliefMesh.exe. It needs the Microsoft Edge WebView2 runtime
(present on most Windows 10/11; if the window does not open, use the installer
ReliefMesh-${version}-windows-amd64-setup.exe, which installs it when missing). Data
is kept in .local\\share\\reliefmesh in your user folder; --data-dir chooses another place.
README
(cd "$stage" && zip -q -r -X "$OLDPWD/$out/ReliefMesh-${version}-windows-amd64-portable.zip" "$(basename "$port")")

for target in linux/amd64 linux/arm64 windows/amd64; do
  step "hub, $target"
  os=${target%/*}; arch=${target#*/}; ext=; [[ $os == windows ]] && ext=.exe
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -ldflags "-s -w" \
    -o "$out/reliefmesh-hub_${version}_${os}_${arch}${ext}" ./cmd/reliefmesh-hub
done
cp build/linux/reliefmesh-hub.service "$out/"

step "sums and signature"
(cd "$out" && sha256sum -- * >SHA256SUMS)
key=${RELIEFMESH_RELEASE_KEY:-}
comment="reliefmesh $version"
if [[ -z $key ]]; then
  key=testdata/release/TEST-ONLY-release.key
  comment="reliefmesh $version TEST BUILD signed with the TEST-ONLY key: not a release"
  echo "dist: RELIEFMESH_RELEASE_KEY is unset: signing with the TEST-ONLY key ($key); this is not a release"
fi
go run ./internal/tools/relsign -key "$key" -comment "$comment" "$out/SHA256SUMS"
step "done"
ls -l "$out"
