package desk

import (
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// ParseRole reads a role as a member types or sends it: coordinator,
// reviewer, volunteer or observer (spaces around it and case ignored). It is
// the one role parser of the app and the hub. Errors: *Error CodeInvalid
// naming "role", whose message lists the roles.
func ParseRole(s string) (relief.Role, error) {
	r := relief.Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", FieldError(CodeInvalid, "role", "%q is not a role: want coordinator, reviewer, volunteer or observer", s)
	}
	return r, nil
}

// ParseMemberID reads a member id (a device key in base32, as `id` prints it
// and the app shows it; spaces around it ignored). Errors: *Error CodeInvalid
// naming field.
func ParseMemberID(field, s string) (ledger.DeviceID, error) {
	key, err := ledger.ParseDeviceID(strings.TrimSpace(s))
	if err != nil {
		return key, FieldError(CodeInvalid, field, "%v", err)
	}
	return key, nil
}

// parseMemberRole reads a member id (field "memberId") and a role.
func parseMemberRole(memberID, role string) (ledger.DeviceID, relief.Role, error) {
	key, err := ParseMemberID("memberId", memberID)
	if err != nil {
		return key, "", err
	}
	r, err := ParseRole(role)
	return key, r, err
}
