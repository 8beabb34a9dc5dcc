//go:build !race

package replicate_test

// raceEnabled is true when the race detector is on (go test -race).
const raceEnabled = false
