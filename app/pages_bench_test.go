package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/store"
)

// BenchmarkPages measures the paged screens (the first page each screen
// shows, and a filtered page) through the bound services on the fixture
// BenchmarkScreens uses (RELIEFMESH_BENCH_FIXTURE; skipped when unset), as
// that fixture's coordinator. Each sub-benchmark reports p50, p99 and max
// milliseconds and the JSON's size in bytes: compare them with
// BenchmarkScreens' inbox/coordinator, leaderboard, volunteers and offers,
// which send the whole lists. It also runs the other screens of issue 11's
// target (overdue demands, tasks of a demand, demand detail) so that one run
// covers them all; see measureScreen for the metrics (thread CPU and
// allocations per call beside the wall times).
//
// RELIEFMESH_BENCH_INPLACE=1 opens the fixture where it is instead of a copy
// (a views snapshot is keyed by the program's build: the first in-place run
// of a test binary folds and writes it, the next ones load it);
// RELIEFMESH_BENCH_AFTERCHECK=1 waits for the records' check the open starts
// (store.Store.CheckDone) before measuring, to tell the calls' own cost from
// the background's. The pages are cut from the whole-list queries
// (desk/pages.go), so their time is those queries' until the store answers
// them from its views; their size is what the UI receives.
//
//	RELIEFMESH_BENCH_FIXTURE=DIR go test ./app/ -run '^$' -bench 'Pages' -benchtime 3x -timeout 60m
func BenchmarkPages(b *testing.B) {
	src := screensFixtureDir(b)
	raw, err := os.ReadFile(filepath.Join(src, "fixture.json"))
	if err != nil {
		b.Fatalf("%s is not a fixture built by bench/cmd/rmfixture: %v", src, err)
	}
	var fx screensFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		b.Fatalf("read %s/fixture.json: %v", src, err)
	}
	dir := src
	if os.Getenv("RELIEFMESH_BENCH_INPLACE") == "" {
		dir = copyFixture(b, src)
	}
	t0 := time.Now()
	a := New(dir, store.Options{})
	info := a.Network.Info()
	if info.StartupError != "" {
		b.Fatalf("open fixture copy %s: %s", dir, info.StartupError)
	}
	b.Cleanup(func() { a.Shutdown(b.Context()) })
	b.Logf("fixture %s (%d demands, %d volunteers, %d offers, %d tasks) opened in %v",
		src, fx.Spec.Demands, fx.Spec.Volunteers, fx.Spec.Offers, fx.Spec.Tasks, time.Since(t0).Round(time.Millisecond))
	<-a.ViewsBuilt() // until then the inbox, points, volunteers and offers pages say "building" (CodeBuilding)
	b.Logf("views built %v after New began", time.Since(t0).Round(time.Millisecond))
	if os.Getenv("RELIEFMESH_BENCH_AFTERCHECK") != "" {
		st, err := a.store()
		if err != nil {
			b.Fatal(err)
		}
		<-st.CheckDone()
		b.Logf("records' check done %v after New began", time.Since(t0).Round(time.Millisecond))
	}
	for _, s := range []screen{
		{"inbox/first-page", func() (any, error) { return a.Inbox.Page(InboxQuery{}) }, true},
		{"inbox/overdue-review", func() (any, error) { return a.Inbox.Page(InboxQuery{What: "review", OverdueOnly: true}) }, false},
		{"standings/first-page", func() (any, error) { return a.Points.Standings(0, 0) }, true},
		{"history/coordinator", func() (any, error) { return a.Points.History(info.DeviceID, 0, 0) }, true},
		{"volunteers/first-page", func() (any, error) { return a.Volunteers.Page(VolunteerQuery{}) }, true},
		{"volunteers/search", func() (any, error) { return a.Volunteers.Page(VolunteerQuery{Text: "司机"}) }, false},
		{"offers/first-page", func() (any, error) { return a.Offers.Page(OfferQuery{}) }, true},
		{"offers/text-and-kind", func() (any, error) { return a.Offers.Page(OfferQuery{Text: "口罩", Kind: "supplies"}) }, false},
		{"overdue", func() (any, error) { return a.Demands.List(DemandQuery{Overdue: true, Limit: 100}) }, false},
		{"tasks/busiest-demand", func() (any, error) { return a.Tasks.ForDemand(fx.BusiestDemand) }, true},
		{"tasks/sample-demand", func() (any, error) { return a.Tasks.ForDemand(fx.SampleDemand) }, false},
		{"detail/busiest-demand", func() (any, error) { return a.Demands.Get(fx.BusiestDemand) }, true},
		{"detail/sample-demand", func() (any, error) { return a.Demands.Get(fx.SampleDemand) }, true},
		// the map's points: every open demand and every offer (slow on
		// main: run it alone, -test.bench 'Pages/map' -test.benchtime 10x)
		{"map/points", func() (any, error) { return a.Map.Points() }, true},
	} {
		b.Run(s.name, func(b *testing.B) { measureScreen(b, s) })
	}
}
