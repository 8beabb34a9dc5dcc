//go:build !race

package store

// raceEnabled is true when the race detector is on (go test -race): it
// changes what allocates, so allocation counts are not asserted then.
const raceEnabled = false
