package practice

import (
	"context"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.TempDir(), store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestLoadIsDeterministicAndIdempotent(t *testing.T) {
	net, member := Names("zh-CN")
	var reps []Report
	for range 2 { // two fresh stores give the same pipeline
		st := openStore(t)
		var last [2]int
		rep, err := Load(context.Background(), desk.New(st), net, member, func(done, total int) { last = [2]int{done, total} })
		if err != nil {
			t.Fatalf("Load = %v", err)
		}
		if rep.Demands != Demands || rep.Offers != 87+22+20+59 || last[0] != last[1] || last[1] != Demands+87+22+21+59 {
			t.Fatalf("Load = %+v, last progress %v; want %d demands, 188 offers (factories.json row 20 repeats row 13), progress to the end of the 234 rows", rep, last, Demands)
		}
		if rep.Approved == 0 || rep.Published == 0 || rep.Claimed == 0 || rep.InProgress == 0 {
			t.Fatalf("Load = %+v; want some demands approved, published, claimed and in progress", rep)
		}
		again, err := Load(context.Background(), desk.New(st), net, member, nil)
		if err != nil || again.Created != 0 || again.Demands != rep.Demands || again.Claimed != rep.Claimed || again.InProgress != rep.InProgress {
			t.Fatalf("second Load = %+v, %v; want nothing new, same pipeline as %+v", again, err, rep)
		}
		if n, _ := st.Network(); n.Name != net {
			t.Errorf("network name = %q; want %q", n.Name, net)
		}
		rep.Created = 0
		reps = append(reps, rep)
	}
	if reps[0] != reps[1] {
		t.Errorf("Load on two stores = %+v and %+v; want the same", reps[0], reps[1])
	}
}

func TestLoadRefusesARealNetwork(t *testing.T) {
	st := openStore(t)
	if _, err := st.CreateNetwork("Flood 2026", "甲"); err != nil {
		t.Fatal(err)
	}
	net, member := Names("en")
	_, err := Load(context.Background(), desk.New(st), net, member, nil)
	if err == nil || !strings.Contains(err.Error(), "Flood 2026") {
		t.Fatalf("Load into a real network = %v; want an error naming it", err)
	}
	if ds, _ := st.Demands(store.DemandQuery{}); len(ds) != 0 {
		t.Errorf("Load wrote %d demands into a real network", len(ds))
	}
}

func TestLicenseShipsWithTheData(t *testing.T) {
	if l := License(); !strings.Contains(l, "MIT License") || !strings.Contains(l, "Wuhan 2020 Community") {
		t.Errorf("License() = %q; want the MIT licence of the wuhan2020 community", l)
	}
}
