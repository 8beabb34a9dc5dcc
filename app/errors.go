package app

import (
	"encoding/json"
	"errors"
	"fmt"

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
	// CodeNotBundle: the file is not a ReliefMesh bundle; the message is the file.
	CodeNotBundle = "not_bundle"
	CodeImport    = "import" // a file to import cannot be read (the message names the file and the place)
)

// Error is the error every bound method returns. Field names the input field
// (a JSON path such as "items[1].quantity") when the error concerns one.
type Error struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"` // English, for logs; the UI translates Code
}

// Error returns the JSON form, which Wails passes to the UI as the rejection reason.
func (e *Error) Error() string {
	b, _ := json.Marshal(e)
	return string(b)
}

func fieldError(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: field + ": " + fmt.Sprintf(format, args...)}
}

// asError converts any error into an *Error: store errors become CodeStorage.
func asError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	switch ledger.ReasonOf(err) {
	case ledger.ReasonRole, ledger.ReasonNotMember, ledger.ReasonRevoked:
		return &Error{Code: CodeNotAllowed, Message: err.Error()}
	}
	return &Error{Code: CodeStorage, Message: err.Error()}
}
