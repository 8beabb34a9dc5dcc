package app

import (
	"errors"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
)

// TestSignProblemBlamesTheDiskOnlyForTheFile: a bulletin that could not be
// signed because its signature would not verify (a change of the device's
// endorsement chain never reached it) was told "the signature file could
// not be written (is the disk full?)" — the reviewer of session 13. Only a
// failed write of the signature file is storage.
func TestSignProblemBlamesTheDiskOnlyForTheFile(t *testing.T) {
	for _, tc := range []struct {
		name        string
		sign, write error
		want        string
	}{
		{"signed and written", nil, nil, ""},
		{"file not written", nil, errors.New("disk full"), CodeStorage},
		{"would not verify", &desk.Error{Code: desk.CodeStorage, Args: map[string]string{"reason": desk.ReasonUnverifiable}}, nil, desk.ReasonUnverifiable},
		{"key would not sign", &desk.Error{Code: desk.CodeStorage}, nil, "other"},
		{"not a member", &desk.Error{Code: desk.CodeNotAllowed}, nil, desk.CodeNotAllowed},
		{"plain error", errors.New("boom"), nil, "other"},
	} {
		if got := signProblem(tc.sign, tc.write); got != tc.want {
			t.Errorf("%s: signProblem = %q; want %q", tc.name, got, tc.want)
		}
	}
}
