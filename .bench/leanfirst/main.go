// Not committed: measures a lean open's first counts after an app-options close.
package main

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

func cpu() (time.Duration, int64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss
}

func main() {
	dir, mode := os.Args[1], os.Args[2]
	if mode == "app" { // open and close as the app does
		c0, _ := cpu()
		st, err := store.Open(dir, store.Options{})
		if err != nil {
			panic(err)
		}
		st.Close()
		c1, rss := cpu()
		fmt.Printf("app open+close: cpu %v maxrss %d MiB\n", c1-c0, rss>>10)
		return
	}
	c0, _ := cpu()
	st, err := store.Open(dir, store.Options{Lean: true})
	if err != nil {
		panic(err)
	}
	c1, _ := cpu()
	n := 0
	for _, k := range st.DemandCounts() {
		n += k
	}
	c2, rss := cpu()
	fmt.Printf("lean open: cpu %v; first counts: cpu %v, %d demands, %d offers, recounts %d; maxrss %d MiB\n", c1-c0, c2-c1, n, st.OfferCount(), st.LeanRecounts(), rss>>10)
	st.Close()
}
