// Command rmfixture builds the data directory on which issue 11's targets are
// measured (package fixture): by default 100,000 demands, 20,000 volunteer
// profiles, 20,000 offers and 50,000 tasks, written by a coordinator and 20
// members, spread along the pipeline. It prints the directory on its last
// line of standard output, so scripts can take it:
//
//	dir=$(go run ./cmd/rmfixture | tail -1)       # cached under $TMPDIR, built once
//	go run ./cmd/rmfixture -dir /tmp/rm-fixture   # a directory of your own
//	go run ./cmd/rmfixture -demands 2000 -volunteers 400 -offers 400 -tasks 1000
//	go run ./cmd/rmfixture -demands 300000 -ops-per-change 1   # ≈ 1,000,000 signed changes
//
// Without -dir the fixture is cached in os.TempDir() under a name holding the
// fixture's version and size, and reused when it is already there. With -dir
// the directory must not hold a network yet, unless it is a finished fixture
// (then it is reused as it is). Progress goes to standard error. Building the
// default size takes several minutes on 2 cores.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/reliefmesh/reliefmesh/bench/fixture"
)

func main() {
	spec := fixture.Default
	dir := flag.String("dir", "", "data directory to build (default: cached under the temp dir)")
	flag.IntVar(&spec.Demands, "demands", spec.Demands, "how many demands")
	flag.IntVar(&spec.Volunteers, "volunteers", spec.Volunteers, "how many volunteer profiles")
	flag.IntVar(&spec.Offers, "offers", spec.Offers, "how many offers")
	flag.IntVar(&spec.Tasks, "tasks", spec.Tasks, "how many tasks")
	flag.IntVar(&spec.Members, "members", spec.Members, "members endorsed besides the coordinator")
	flag.IntVar(&spec.Reviewers, "reviewers", spec.Reviewers, "how many of the members are reviewers")
	flag.IntVar(&spec.OpsPerChange, "ops-per-change", spec.OpsPerChange, "ops one signed change carries (0: 200 as rmseed; 1: every create, review, claim and answer its own change, as field devices write them)")
	flag.Parse()
	log.SetFlags(log.Ltime)
	log.SetOutput(os.Stderr)
	logf := func(f string, a ...any) { log.Printf(f, a...) }
	if *dir == "" {
		d, m, err := fixture.Cached(spec, logf)
		if err != nil {
			log.Fatalf("rmfixture: %v", err)
		}
		log.Printf("rmfixture: fixture v%d (%d demands) built %s", m.Version, m.Spec.Demands, m.Built.Format("2006-01-02 15:04"))
		fmt.Println(d)
		return
	}
	if m, err := fixture.ReadManifest(*dir); err == nil {
		if m.Version != fixture.Version || m.Spec != spec {
			log.Fatalf("rmfixture: %s holds fixture v%d %+v, not v%d %+v; remove it first", *dir, m.Version, m.Spec, fixture.Version, spec)
		}
		fmt.Println(*dir)
		return
	}
	if _, err := fixture.Build(*dir, spec, logf); err != nil {
		log.Fatalf("rmfixture: %v", err)
	}
	fmt.Println(*dir)
}
