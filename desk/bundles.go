package desk

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// ExportBundle writes to w a bundle of every change this device holds that
// since lacks (a nil since: every change), for a USB stick to carry to a site
// no network reaches, and returns its header. Errors are bundle.Export's.
//
// Before it writes, the device publishes its encryption key if due and
// grants the sealed values it can open to the cleared members who lack them
// (EnsureKey, GrantPending; ImportBundle does the same after applying), so
// that a site reached only by USB sticks gets the requesters' contacts it
// is cleared for without a serving node.
func (d *Desk) ExportBundle(w io.Writer, since ledger.VersionVector) (bundle.Header, error) {
	// Best effort: the bundle must go out even when this device may not
	// write (waiting for its own feed after an unclean stop, disk full);
	// what is not granted now is granted at the next export or import.
	_ = d.sealUpkeep()
	return bundle.Export(w, d.st, since)
}

// sealUpkeep reports the forks this device holds the proof of (ReportForks),
// publishes this device's key when due and writes the grants it owes
// (EnsureKey, GrantPending): what a serving node does in the background
// (KeepGranting), for devices that meet only by bundle.
func (d *Desk) sealUpkeep() error {
	if _, err := d.ReportForks(); err != nil {
		return fmt.Errorf("report a forked device to the network: %w", err)
	}
	if _, err := d.EnsureKey(); err != nil {
		return fmt.Errorf("publish this device's encryption key: %w", err)
	}
	if _, err := d.GrantPending(); err != nil {
		return fmt.Errorf("grant sealed values to cleared members: %w", err)
	}
	return nil
}

// ExportBundleFile is ExportBundle into the file path, written whole or not
// at all: the bundle goes to a temporary file beside path, synced to disk,
// then renamed over path, so a failed export never leaves a half-written
// file under the name asked for. Errors name the path.
func (d *Desk) ExportBundleFile(path string, since ledger.VersionVector) (bundle.Header, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".partial-*")
	if err != nil {
		return bundle.Header{}, fmt.Errorf("write bundle %s: %w", path, err)
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing left to remove
	h, err := d.ExportBundle(f, since)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return bundle.Header{}, fmt.Errorf("write bundle %s: %w", path, err)
	}
	return h, nil
}

// ImportBundle applies the bundle read from r through the same checks as the
// network (every change verified; re-importing changes nothing), publishing
// its progress on the store's bus (store.EventBundleProgress, never
// blocking) and calling progress (when not nil) as it goes. The result counts what was received,
// applied, already held, held (dated ahead of this clock) and refused even
// when err is not nil. Errors are bundle.Import's, unwrapped so that callers
// can tell them apart: bundle.ErrNotBundle, bundle.ErrOtherNetwork,
// bundle.ErrDamaged, io.ErrUnexpectedEOF (cut short), *ledger.RejectError (a
// frame that is not a change), or a storage error.
func (d *Desk) ImportBundle(r io.Reader, progress func(bundle.Progress)) (bundle.Result, error) {
	res, err := bundle.Import(r, d.st, func(p bundle.Progress) {
		d.st.PublishBundleProgress(store.BundleProgress{Total: p.Total, Received: p.Received, Applied: p.Applied})
		if progress != nil {
			progress(p)
		}
	})
	if err == nil {
		// A bundle holding this device's own feed as far as its exporter had
		// it ends the wait after an unclean stop (store.Store.Recovering),
		// never a restored device's (the bundle may be old).
		d.st.ConfirmOwnHeadByBundle(res.Header.UpTo)
		// the bundle may hold new members' keys, claims or this device's
		// clearance: publish and grant now, so the next bundle carries them
		// (best effort, as in ExportBundle: the import itself succeeded);
		// a bundle that brought nothing new owes nothing, and GrantPending
		// reads every demand record
		if res.Applied > 0 || len(d.st.Forks()) > 0 {
			_ = d.sealUpkeep()
		}
	}
	return res, err
}

// Refused returns the changes of an import the checks refused, by reason
// (ledger.Reason): the later changes of a refused or held author
// (ledger.ReasonGap) are not counted again, they follow from the first. Never nil.
func Refused(res bundle.Result) map[ledger.Reason]int {
	out := map[ledger.Reason]int{}
	for reason, n := range res.Rejected {
		if reason != ledger.ReasonGap {
			out[reason] += n
		}
	}
	return out
}

// PeerAck returns up to which of this device's own changes member has
// acknowledged holding, and when (recorded at each catch-up round); false
// when it never did.
func (d *Desk) PeerAck(member ledger.DeviceID) (store.Ack, bool) { return d.st.PeerAck(member) }

// VersionVector returns the last sequence number this device holds of every
// feed: what another site's `bundle export --since-file` starts after.
func (d *Desk) VersionVector() ledger.VersionVector { return d.st.VersionVector() }

// PeerVersionVector returns what this device last knew member to hold (after
// a sync with it); false, and an empty vector, when it never synced with it.
func (d *Desk) PeerVersionVector(member ledger.DeviceID) (ledger.VersionVector, bool) {
	return d.st.PeerVersionVector(member)
}
