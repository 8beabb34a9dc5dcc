package ledger

import (
	"math"
	"sync"
	"testing"
	"time"
)

func TestHLCNow(t *testing.T) {
	// Each step sets the physical clock (ms) and reads Now.
	for _, tc := range []struct {
		name  string
		phys  []int64
		want  []Stamp
		start Stamp // restored before the first step
	}{
		{"advancing", []int64{t0, t0 + 1, t0 + 5}, []Stamp{{t0, 0}, {t0 + 1, 0}, {t0 + 5, 0}}, Stamp{}},
		{"same millisecond", []int64{t0, t0, t0, t0 + 1}, []Stamp{{t0, 0}, {t0, 1}, {t0, 2}, {t0 + 1, 0}}, Stamp{}},
		{"clock goes backward", []int64{t0, t0 - 1000, t0 - 999, t0 + 1}, []Stamp{{t0, 0}, {t0, 1}, {t0, 2}, {t0 + 1, 0}}, Stamp{}},
		{"restored ahead", []int64{t0, t0 + 10}, []Stamp{{t0 + 5, 8}, {t0 + 10, 0}}, Stamp{t0 + 5, 7}},
		{"logical overflow", []int64{t0, t0}, []Stamp{{t0 + 1, 0}, {t0 + 1, 1}}, Stamp{t0, math.MaxUint32}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock(0)
			h := NewHLC(clk.Now, 0)
			h.Restore(tc.start)
			var prev Stamp
			for i, p := range tc.phys {
				clk.SetMilli(p)
				got := h.Now()
				if got != tc.want[i] {
					t.Errorf("step %d: Now() at %d = %v; want %v", i, p, got, tc.want[i])
				}
				if got.Compare(prev) <= 0 {
					t.Errorf("step %d: Now() = %v; want after %v", i, got, prev)
				}
				if h.Last() != got {
					t.Errorf("step %d: Last() = %v; want %v", i, h.Last(), got)
				}
				prev = got
			}
		})
	}
}

func TestHLCObserve(t *testing.T) {
	const drift = 5 * time.Minute
	driftMs := drift.Milliseconds()
	for _, tc := range []struct {
		name     string
		last     Stamp // clock state before (restored)
		remote   Stamp
		want     Reason
		wantLast Stamp
		wantNow  Stamp // next Now(), physical still t0
	}{
		{"remote behind", Stamp{t0, 3}, Stamp{t0 - 100, 9}, "", Stamp{t0, 4}, Stamp{t0, 5}},
		{"remote equal wall, higher logical", Stamp{t0, 3}, Stamp{t0, 9}, "", Stamp{t0, 10}, Stamp{t0, 11}},
		{"remote equal wall, lower logical", Stamp{t0, 3}, Stamp{t0, 1}, "", Stamp{t0, 4}, Stamp{t0, 5}},
		{"remote ahead within drift", Stamp{t0, 3}, Stamp{t0 + 1000, 2}, "", Stamp{t0 + 1000, 3}, Stamp{t0 + 1000, 4}},
		{"remote at max drift", Stamp{}, Stamp{t0 + driftMs, 0}, "", Stamp{t0 + driftMs, 1}, Stamp{t0 + driftMs, 2}},
		{"remote beyond drift", Stamp{t0, 3}, Stamp{t0 + driftMs + 1, 0}, ReasonTooFarAhead, Stamp{t0, 3}, Stamp{t0, 4}},
		{"remote far beyond drift", Stamp{t0, 3}, Stamp{math.MaxInt64, 0}, ReasonTooFarAhead, Stamp{t0, 3}, Stamp{t0, 4}},
		{"physical ahead of both", Stamp{t0 - 5, 3}, Stamp{t0 - 2, 7}, "", Stamp{t0, 0}, Stamp{t0, 1}},
		{"remote logical exhausted", Stamp{t0, 0}, Stamp{t0, math.MaxUint32}, "", Stamp{t0 + 1, 0}, Stamp{t0 + 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock(t0)
			h := NewHLC(clk.Now, drift)
			h.Restore(tc.last)
			wantReason(t, "Observe("+tc.remote.String()+")", h.Observe(tc.remote), tc.want)
			if got := h.Last(); got != tc.wantLast {
				t.Errorf("Last() after Observe(%v) = %v; want %v", tc.remote, got, tc.wantLast)
			}
			if got := h.Now(); got != tc.wantNow {
				t.Errorf("Now() after Observe(%v) = %v; want %v", tc.remote, got, tc.wantNow)
			}
		})
	}
}

func TestHLCHeldStampDue(t *testing.T) {
	clk := newFakeClock(t0)
	h := NewHLC(clk.Now, time.Minute)
	if h.MaxDrift() != time.Minute {
		t.Fatalf("MaxDrift() = %v; want 1m", h.MaxDrift())
	}
	remote := Stamp{Wall: t0 + (10 * time.Minute).Milliseconds(), Logical: 4}
	wantReason(t, "Observe(10m ahead)", h.Observe(remote), ReasonTooFarAhead)
	due := h.Due(remote)
	if want := time.UnixMilli(t0).Add(9 * time.Minute).UTC(); !due.Equal(want) {
		t.Fatalf("Due(%v) = %v; want %v", remote, due, want)
	}
	clk.t = due.Add(-time.Millisecond)
	wantReason(t, "Observe(1ms before due)", h.Observe(remote), ReasonTooFarAhead)
	clk.t = due
	wantReason(t, "Observe(at due)", h.Observe(remote), "")
	if got, want := h.Now(), (Stamp{remote.Wall, remote.Logical + 2}); got != want {
		t.Errorf("Now() after Observe(due stamp) = %v; want %v", got, want)
	}
	if d := h.Due(Stamp{Wall: t0}); !d.Before(clk.Now()) {
		t.Errorf("Due(past stamp) = %v; want before now %v", d, clk.Now())
	}
}

func TestHLCBehind(t *testing.T) {
	clk := newFakeClock(t0)
	h := NewHLC(clk.Now, 0)
	check := func(step string, want time.Duration) {
		t.Helper()
		if got := h.Behind(); got != want {
			t.Errorf("%s: Behind() = %v; want %v", step, got, want)
		}
	}
	check("new clock", 0)
	must(t, h.Observe(Stamp{Wall: t0 - 5000}))
	check("remote behind", 0)
	must(t, h.Observe(Stamp{Wall: t0 + 90_000}))
	check("remote 90s ahead", 90*time.Second)
	must(t, h.Observe(Stamp{Wall: t0 + 1000}))
	check("lower remote later", 90*time.Second)
	wantReason(t, "Observe(1h ahead)", h.Observe(Stamp{Wall: t0 + time.Hour.Milliseconds()}), ReasonTooFarAhead)
	check("held remote", time.Hour)
	clk.Add(30 * time.Minute)
	check("half an hour later", 30*time.Minute)
	clk.Add(2 * time.Hour)
	check("caught up", 0)
	wantReason(t, "Observe(max)", h.Observe(Stamp{Wall: math.MaxInt64}), ReasonTooFarAhead)
	check("absurd remote", time.Duration(math.MaxInt64))
}

func TestHLCRestore(t *testing.T) {
	// After a restart with the physical clock set back an hour, stamps
	// continue after the persisted one.
	clk := newFakeClock(t0)
	before := NewHLC(clk.Now, 0)
	var last Stamp
	for range 3 {
		last = before.Now()
	}
	clk.Add(-time.Hour)
	after := NewHLC(clk.Now, 0)
	after.Restore(last)
	if got := after.Now(); got.Compare(last) <= 0 {
		t.Errorf("Now() after Restore(%v) = %v; want later", last, got)
	}
	after.Restore(Stamp{Wall: t0 - 1}) // never lowers
	if got := after.Last(); got.Compare(last) <= 0 {
		t.Errorf("Last() after Restore(older) = %v; want after %v", got, last)
	}
}

func TestHLCPhysicalBefore1970(t *testing.T) {
	clk := newFakeClock(-10)
	h := NewHLC(clk.Now, 0)
	wantReason(t, "Observe(max) with clock before 1970", h.Observe(Stamp{Wall: math.MaxInt64}), ReasonTooFarAhead)
	if got := h.Last(); got != (Stamp{}) {
		t.Errorf("Last() after refused Observe = %v; want zero", got)
	}
}

func TestHLCConcurrent(t *testing.T) {
	h := NewHLC(newFakeClock(t0).Now, 0)
	const workers, each = 4, 500
	stamps := make(chan Stamp, workers*each)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if i%10 == 0 {
					_ = h.Observe(Stamp{Wall: t0, Logical: uint32(w * i)})
				}
				stamps <- h.Now()
			}
		})
	}
	wg.Wait()
	close(stamps)
	seen := map[Stamp]bool{}
	for s := range stamps {
		if seen[s] {
			t.Fatalf("Now() returned %v twice", s)
		}
		seen[s] = true
	}
}

// TestHLCBehindNeedsQuorum: Behind follows the ClockQuorum-th fastest device
// (a majority of fewer devices), so one device's absurd stamp moves it only
// when that device is all there is.
func TestHLCBehindNeedsQuorum(t *testing.T) {
	clk := newFakeClock(t0)
	h := NewHLC(clk.Now, 0)
	dev := func(i byte) DeviceID { return DeviceID{i} }
	year2100 := Stamp{Wall: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}
	wantReason(t, "ObserveFrom(2100)", h.ObserveFrom(dev(1), year2100), ReasonTooFarAhead)
	if got, want := h.Behind(), time.Duration(year2100.Wall-t0)*time.Millisecond; got != want {
		t.Errorf("only device in 2100: Behind() = %v; want %v", got, want)
	}
	must(t, h.ObserveFrom(dev(2), Stamp{Wall: t0}))
	if got := h.Behind(); got != 0 {
		t.Errorf("1 of 2 devices in 2100: Behind() = %v; want 0", got)
	}
	must(t, h.ObserveFrom(dev(3), Stamp{Wall: t0 + 60_000}))
	if got := h.Behind(); got != time.Minute {
		t.Errorf("2 of 3 ahead (2100, 1m): Behind() = %v; want 1m", got)
	}
	must(t, h.ObserveFrom(dev(4), Stamp{Wall: t0}))
	if got := h.Behind(); got != 0 {
		t.Errorf("2 of 4 ahead: Behind() = %v; want 0", got)
	}
	must(t, h.ObserveFrom(dev(5), Stamp{Wall: t0 + 120_000}))
	must(t, h.ObserveFrom(dev(3), Stamp{Wall: t0 + 30_000})) // lower: the device's highest stays
	if got := h.Behind(); got != time.Minute {
		t.Errorf("3 of 5 ahead (2100, 2m, 1m): Behind() = %v; want 1m", got)
	}
}
