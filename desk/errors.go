package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
)

// Error codes carried by *Error; the frontend maps each to a translated message.
const (
	CodeRequired    = "required"    // a required field is empty
	CodeNotNumber   = "not_number"  // a quantity is not a number
	CodeNegative    = "negative"    // a quantity is below zero
	CodeTooLong     = "too_long"    // a text field is longer than its limit
	CodeInvalid     = "invalid"     // a value is not one of the allowed values
	CodeNoNetwork   = "no_network"  // the device has not created or joined a network yet
	CodeNotAllowed  = "not_allowed" // the member's role does not allow the action
	CodeStorage     = "storage"     // the local store could not be read or written
	CodeNotFound    = "not_found"   // no such entity
	CodeUnreachable = "unreachable" // a peer address could not be reached
	CodeBundle      = "bundle"      // a bundle file is damaged, truncated or otherwise unusable
	// CodeBundleOtherNetwork: the bundle was written by another network's
	// member; the message is "FILE: network ID".
	CodeBundleOtherNetwork = "bundle_other_network"
	// CodeBundleDamaged: the bundle was altered or damaged after its verified
	// part; the message is the file, Args "applied" and "refused" say how
	// many changes were stored and refused.
	CodeBundleDamaged = "bundle_damaged"
	// CodeBundleTruncated: the bundle ends early (a copy cut short); Args
	// "applied" and "changes" (what the header promised).
	CodeBundleTruncated = "bundle_truncated"
	// CodeNotBundle: the file is not a ReliefMesh bundle; the message is the file.
	CodeNotBundle = "not_bundle"
	CodeImport    = "import" // a file to import cannot be read (the message names the file and the place)
)

// Error codes of the store's durability (store.DiskFullError,
// store.RecoveringError, store.DamagedError).
const (
	// CodeDiskFull: the data directory has less free space than the store
	// needs; nothing was written. Args "free", "need" (sizes such as
	// "180.5 MiB") and "dir".
	CodeDiskFull = "disk_full"
	// CodeRecovering: after an unclean stop this device waits for its own
	// newest changes from a peer or a bundle before writing; nothing was
	// written. Args "head" (the seq of its own feed it holds) and "reason".
	CodeRecovering = "recovering"
	// CodeDamaged: the store's files are damaged or missing; Args "dir"
	// and "what" (store.DamageManifest, DamageFiles, DamageDataGone).
	CodeDamaged = "damaged"
	// CodeBuilding: the store opened and answers the demand list, but the
	// view this screen reads (inbox, tasks, points, volunteers, offers) is
	// still being built after the open (store.Store.ViewsBuilding); the
	// screen says so and reads again on the next change event.
	CodeBuilding = "building"
)

// CodeLocked: the store is encrypted at rest (store.LockedError) and could
// not be opened with the key given, or without one; nothing was written.
// Args "reason" (store.LockNoKey, LockWrongKey, LockNotEncrypted; the app
// adds its own: its keyring), "source" (where the key is found:
// store.KeyFromPassphrase, KeyInKeyring, KeyGiven) and "dir".
const CodeLocked = "locked"

// Error is the error every bound method returns. Field names the input field
// (a JSON path such as "items[1].quantity") when the error concerns one.
// Args carry what the UI needs to say more than Code alone: "reason" picks a
// more precise message for the same code (error.<code>_<reason> in the
// locales) and the other args fill it in.
type Error struct {
	Code    string            `json:"code"`
	Field   string            `json:"field,omitempty"`
	Message string            `json:"message"` // English, for logs; the UI translates Code
	Args    map[string]string `json:"args,omitempty"`
}

// Reasons of *Error, in Args["reason"], by code.
const (
	ReasonMax       = "max"       // CodeTooLong: longer than Args["max"] characters
	ReasonMaxItems  = "max_items" // CodeTooLong: more than Args["max"] items
	ReasonChecksum  = "checksum"  // CodeInvalid, joinCode: the checksum does not match (a typo)
	ReasonTruncated = "truncated" // CodeInvalid, joinCode: characters are missing
	ReasonPrefix    = "prefix"    // CodeInvalid, joinCode: not a join code at all
	// ReasonOtherNetwork: CodeInvalid, joinCode: this device already
	// belongs to another network than the code's. Args "name": the code's
	// incident name ("" when the code carries none), "network": the short
	// form of the code's network id (ShortNetworkID characters), "mine":
	// this device's incident name.
	ReasonOtherNetwork = "other_network"
	ReasonChoose       = "choose"      // CodeInvalid: nothing was chosen (the member who takes over)
	ReasonNoDemand     = "no_demand"   // CodeInvalid: no demand has the code or id Args["value"]
	ReasonSelf         = "self"        // CodeInvalid, duplicateOf: the demand itself
	ReasonUseDeliver   = "use_deliver" // CodeNotAllowed, action progress: record what was received with deliver
	ReasonNotDue       = "not_due"     // CodeNotAllowed, action take_over: the owner may still answer (Args["until"], RFC 3339)
	ReasonRange        = "range"       // CodeInvalid: a number outside Args["min"] to Args["max"] (inclusive)
	// ReasonUnverifiable: CodeStorage, SignBulletin: the signature made
	// would not verify with what this device holds (a change of its
	// endorsement chain never reached it); syncing first helps, the disk
	// is not at fault.
	ReasonUnverifiable = "unverifiable"
	// ReasonIDCard: CodeInvalid: the field holds what looks like a PRC
	// resident identity card number (importer.HasIDCardNumber); the form
	// refuses it, since every member may read the text, and the number is
	// never echoed. The person removes it (a phone number reaches them).
	ReasonIDCard = "id_card"
)

// noIDCard checks the fields of a form, given as field, value pairs, for a
// resident identity card number: CodeInvalid with ReasonIDCard naming the
// first field that holds one; nil when none does.
func noIDCard(kv ...string) *Error {
	for i := 0; i+1 < len(kv); i += 2 {
		if importer.HasIDCardNumber(kv[i+1]) {
			return FieldError(CodeInvalid, kv[i], "holds what looks like a resident identity card number: remove it (every member may read this field)").Because(ReasonIDCard)
		}
	}
	return nil
}

// TooLong is CodeTooLong for a text field longer than max characters.
func TooLong(field string, max int) *Error {
	e := FieldError(CodeTooLong, field, "longer than %d characters", max)
	e.Args = map[string]string{"reason": ReasonMax, "max": strconv.Itoa(max)}
	return e
}

// Because returns e with Args["reason"] set to reason and the other args
// (name, value pairs) added.
func (e *Error) Because(reason string, kv ...string) *Error {
	if e.Args == nil {
		e.Args = map[string]string{}
	}
	e.Args["reason"] = reason
	for i := 0; i+1 < len(kv); i += 2 {
		e.Args[kv[i]] = kv[i+1]
	}
	return e
}

// Error returns the JSON form, which Wails passes to the UI as the rejection reason.
func (e *Error) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

// FieldError returns an *Error of code about field, its English message "field: " and format applied to args.
func FieldError(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// AsError converts any error into an *Error: store errors become CodeStorage.
func AsError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if d := durabilityError(err); d != nil {
		return d
	}
	switch ledger.ReasonOf(err) {
	case ledger.ReasonRevoked:
		return &Error{Code: CodeRevoked, Message: err.Error()}
	case ledger.ReasonRole, ledger.ReasonNotMember:
		return &Error{Code: CodeNotAllowed, Message: err.Error()}
	}
	return &Error{Code: CodeStorage, Message: err.Error()}
}
