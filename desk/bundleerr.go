package desk

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// BundleError returns err, an error of ImportBundle for the bundle file
// named file (its base name), as the desk error both front ends give (the
// app's bound methods, the hub's control socket): Field "path", Message the
// file (and, for another network, its whole network id: "file: id"), and by
// kind:
//
//   - a file empty, cut short or with bytes changed (*bundle.FileError):
//     CodeBundleTruncated (empty, cut short) or CodeBundleDamaged (a frame
//     that is not a change; also a file that breaks inside its header), Args
//     "changes" (what its header promised), "read" (read and verified),
//     "applied" (of those, newly stored), "unread" (never read) and "reason":
//     "empty", "header" (nothing read), "corrupt", "nothing_new" (cut short,
//     and what was read was all held already), or none;
//   - bundle.ErrOtherNetwork: CodeBundleOtherNetwork, Args "file" and
//     "network" (the short form of the bundle's network id, ShortID); the
//     app adds the name of an incident of that network on the laptop;
//   - bundle.ErrNotBundle: CodeNotBundle;
//   - bundle.ErrDamaged (more changes than its header says): CodeBundleDamaged,
//     Args "applied", "refused";
//   - io.ErrUnexpectedEOF: CodeBundleTruncated, Args "applied", "changes";
//   - a *ledger.RejectError (a frame too large to be a change):
//     CodeBundleDamaged, Args "applied", "refused" (this frame counted);
//   - store.ErrNoNetwork: CodeNoNetwork (join or create one first);
//   - a *Error: itself;
//   - anything else: CodeStorage, Message "file: err".
//
// It returns nil for a nil err.
func BundleError(file string, res bundle.Result, err error) *Error {
	if err == nil {
		return nil
	}
	var fe *bundle.FileError
	var rej *ledger.RejectError
	var de *Error
	switch {
	case errors.As(err, &fe):
		return fileDamageError(file, fe)
	case errors.Is(err, bundle.ErrOtherNetwork):
		return &Error{Code: CodeBundleOtherNetwork, Field: "path", Message: file + ": " + res.Header.Network,
			Args: map[string]string{"file": file, "network": ShortID(res.Header.Network)}}
	case errors.Is(err, bundle.ErrNotBundle):
		return &Error{Code: CodeNotBundle, Field: "path", Message: file}
	case errors.Is(err, bundle.ErrDamaged):
		return &Error{Code: CodeBundleDamaged, Field: "path", Message: file,
			Args: map[string]string{"applied": strconv.Itoa(res.Applied), "refused": strconv.Itoa(sumRejected(res.Rejected))}}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Code: CodeBundleTruncated, Field: "path", Message: file,
			Args: map[string]string{"applied": strconv.Itoa(res.Applied), "changes": strconv.FormatUint(res.Header.Count, 10)}}
	case errors.As(err, &rej): // a frame that is not a change, or too large to be one
		return &Error{Code: CodeBundleDamaged, Field: "path", Message: file,
			Args: map[string]string{"applied": strconv.Itoa(res.Applied), "refused": strconv.Itoa(sumRejected(res.Rejected) + 1)}}
	case errors.Is(err, store.ErrNoNetwork):
		return &Error{Code: CodeNoNetwork, Field: "path", Message: file + ": " + err.Error()}
	case errors.As(err, &de):
		return de
	}
	return &Error{Code: CodeStorage, Field: "path", Message: file + ": " + err.Error()}
}

// fileDamageError is BundleError of a damaged bundle file.
func fileDamageError(file string, fe *bundle.FileError) *Error {
	args := map[string]string{"changes": strconv.FormatUint(fe.Changes, 10), "read": strconv.Itoa(fe.Read),
		"applied": strconv.Itoa(fe.Applied), "unread": strconv.FormatUint(fe.Unread(), 10)}
	code := CodeBundleTruncated
	switch {
	case fe.Kind == bundle.FileEmpty:
		args["reason"] = "empty"
	case !fe.CountKnown:
		args["reason"] = "header"
	case fe.Kind == bundle.FileCorrupt:
		code, args["reason"] = CodeBundleDamaged, "corrupt"
	case fe.Applied == 0:
		args["reason"] = "nothing_new"
	}
	if fe.Kind == bundle.FileCorrupt && !fe.CountKnown {
		code = CodeBundleDamaged
	}
	if fe.Kind == bundle.FileCorrupt && len(fe.Damage) > 0 && fe.Read > 0 {
		// read on past the damage: where it was, what was read after it,
		// what this device still lacks
		d := fe.Damage[0]
		code, args["reason"] = CodeBundleDamaged, "skipped"
		if !fe.CountKnown {
			args["reason"] = "skipped_header"
		}
		args["offset"] = strconv.FormatInt(d.Offset, 10)
		args["before"] = strconv.Itoa(d.Changes)
		args["read_after"] = strconv.Itoa(fe.ReadAfter)
		args["places"] = strconv.Itoa(len(fe.Damage))
		args["missing"] = missingJSON(fe.Missing)
	}
	return &Error{Code: code, Field: "path", Message: file, Args: args}
}

// MissingView is a run of one member's changes a damaged bundle held that
// this device still lacks (bundle.Missing): seqs From..To of the feed of
// the member ID (the short id, 8 characters), Name from the roster ("" when
// not there). In Error.Args["missing"] as a JSON array (args are strings).
type MissingView struct {
	Name string `json:"name"`
	ID   string `json:"id"`   // the short id (8 characters)
	From string `json:"from"` // decimal (a uint64)
	To   string `json:"to"`
}

// missingJSON is ms as the JSON array of MissingView ("[]" for none).
func missingJSON(ms []bundle.Missing) string {
	out := make([]MissingView, 0, len(ms))
	for _, m := range ms {
		out = append(out, MissingView{Name: m.Name, ID: m.Device.Short(), From: strconv.FormatUint(m.From, 10), To: strconv.FormatUint(m.To, 10)})
	}
	b, _ := json.Marshal(out) // strings only: cannot fail
	return string(b)
}

// sumRejected sums refusals by reason.
func sumRejected(by map[ledger.Reason]int) int {
	n := 0
	for _, c := range by {
		n += c
	}
	return n
}
