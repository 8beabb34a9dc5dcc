package store

import "testing"

// ErrCrash, returned by a rekey fault, stops the rekey as a crash would.
var ErrCrash = errCrash

// SetRekeyFault makes every rekey step call f (nil: none) until the test ends.
func SetRekeyFault(t *testing.T, f func(step string) error) {
	rekeyFault = f
	t.Cleanup(func() { rekeyFault = nil })
}
