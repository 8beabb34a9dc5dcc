// Package bundle writes a catch-up stream to a file and applies one, for
// sites that no network reaches: a USB stick carries the changes.
//
// A bundle is the 9 bytes "RMBUNDLE1", a header frame (CBOR: network id, the
// number of changes, the version vector the bundle starts after and the one
// it reaches), then the framed change stream of package changestream — the
// same bytes catch-up sends — ended by the end frame. Import applies it
// through store.ApplyRemote, the same verify-and-apply path as the network,
// so a tampered change is refused by its signature and re-importing a bundle
// changes nothing.
//
// A bundle may carry a signed release after its end frame (WriteRelease,
// ReadRelease), so that a site no network reaches can update from a USB
// stick: a frame "RMRELEASE1" + CBOR Release (file name, size, SHA-256, the
// release's SHA256SUMS and its minisign signature), then the file's bytes
// in frames of at most 1 MiB. Import never reads past the end frame, so an
// older reader imports such a bundle's changes as before and leaves the
// release unread (it says nothing of it: update that reader first, or
// carry the installer beside the bundle with its SHA256SUMS and
// SHA256SUMS.minisig, for `reliefmesh-hub verify-release`). Nothing is
// installed: the reader keeps the file, internal/release says whether the
// maintainers signed it, and a person decides.
package bundle
