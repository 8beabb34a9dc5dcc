package app

import "github.com/reliefmesh/reliefmesh/desk"

// Error is the error every bound method returns: desk.Error, a stable code the
// UI translates, the field it concerns and the args that fill in the message.
// Wails passes its JSON form to the UI as the rejection reason.
type Error = desk.Error

// Error codes and reasons, as desk defines them (see there).
const (
	CodeRequired           = desk.CodeRequired
	CodeNotNumber          = desk.CodeNotNumber
	CodeNegative           = desk.CodeNegative
	CodeTooLong            = desk.CodeTooLong
	CodeInvalid            = desk.CodeInvalid
	CodeNoNetwork          = desk.CodeNoNetwork
	CodeNotAllowed         = desk.CodeNotAllowed
	CodeStorage            = desk.CodeStorage
	CodeNotFound           = desk.CodeNotFound
	CodeUnreachable        = desk.CodeUnreachable
	CodeBundle             = desk.CodeBundle
	CodeBundleOtherNetwork = desk.CodeBundleOtherNetwork
	CodeBundleDamaged      = desk.CodeBundleDamaged
	CodeBundleTruncated    = desk.CodeBundleTruncated
	CodeNotBundle          = desk.CodeNotBundle
	CodeImport             = desk.CodeImport
	ReasonMax              = desk.ReasonMax
	ReasonMaxItems         = desk.ReasonMaxItems
	ReasonChecksum         = desk.ReasonChecksum
	ReasonTruncated        = desk.ReasonTruncated
	ReasonPrefix           = desk.ReasonPrefix
	ReasonChoose           = desk.ReasonChoose
	ReasonNoDemand         = desk.ReasonNoDemand
	ReasonSelf             = desk.ReasonSelf
	CodeDiskFull           = desk.CodeDiskFull
	CodeRecovering         = desk.CodeRecovering
	CodeDamaged            = desk.CodeDamaged
	CodeBuilding           = desk.CodeBuilding
)

// CodeRevoked: this device's member was revoked (desk.CodeRevoked).
const CodeRevoked = desk.CodeRevoked

// CodeClosed: a closed demand cannot be edited (desk.CodeClosed); Args
// "status". ReasonEditRole (CodeNotAllowed): this member may not edit the
// demand; Args "role" and "need" (desk.ReasonEditRole).
const (
	CodeClosed     = desk.CodeClosed
	ReasonEditRole = desk.ReasonEditRole
)

func tooLong(field string, max int) *Error { return desk.TooLong(field, max) }

func fieldError(code, field, format string, args ...any) *Error {
	return desk.FieldError(code, field, format, args...)
}

func asError(err error) error { return desk.AsError(err) }
