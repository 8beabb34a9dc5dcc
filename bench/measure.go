package bench

import "time"

// CPUTime is the CPU time (user + system, getrusage) this process has used
// so far: the difference between two readings is the cost of what ran
// between them, whatever the machine's load.
func CPUTime() time.Duration { return cpuTime() }

// MemNow returns this process's RssAnon and RssFile now.
func MemNow() Memory { return memNow() }

// MemPeak samples MemNow every interval until stop is called, which returns
// the highest RssAnon and RssFile seen (each its own maximum).
func MemPeak(interval time.Duration) (stop func() Memory) { return memPeak(interval) }
