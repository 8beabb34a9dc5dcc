package relief

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

var memberName = map[ledger.DeviceID]string{
	coord: "coord", rev: "rev", vol: "vol", vol2: "vol2", obs: "obs", coord2: "coord2", rev2: "rev2", vol3: "vol3",
}

// totals returns "name=points" for each member with points, sorted by name.
func totals(lb Leaderboard) string {
	var out []string
	for _, s := range lb.Standings {
		out = append(out, fmt.Sprintf("%s=%d", memberName[s.Member], s.Points))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func TestPoints(t *testing.T) {
	const h = time.Hour
	tests := []struct {
		name  string
		steps []step
		want  string
	}{
		{"review on time", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove)),
		}, "coord=1 rev=3"},
		{"review late", []step{
			s(coord, 0, newDemand("d")),
			s(rev, 3*h, dtr("d", ActionApprove)),
		}, "coord=1 rev=2"},
		{"review exactly at the deadline", []step{
			s(coord, 0, newDemand("d")),
			s(rev, 2*h, dtr("d", ActionApprove)),
		}, "coord=1 rev=3"},
		{"rejected demand earns its creator nothing", []step{
			s(vol, 0, newDemand("d")),
			s(rev, 10*time.Minute, dtr("d", ActionReject)),
		}, "rev=3"},
		{"reopened withdrawal goes back to approved: a publish in time is on time", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove)),      // review 2 + on time 1
			s(coord, h+1, dtr("d", ActionWithdraw)), // nothing
			s(coord, h+2, dtr("d", ActionReopen)),   // nothing: back to approved
			s(rev, 2*h, dtr("d", ActionPublish)),    // publish 1 + on time 1
		}, "coord=1 rev=5"},
		{"whole pipeline", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove)),    // review 2 + on time 1
			s(rev, 2*h, dtr("d", ActionPublish)),  // publish 1 + on time 1 (1 h after approval)
			s(vol, 3*h, dtr("d", ActionClaim)),    // on time 1 (1 h after publication)
			s(vol, 4*h, dtr("d", ActionProgress)), // nothing
			s(vol, 5*h, dtr("d", ActionFulfil)),   // fulfilled 10
		}, "coord=1 rev=5 vol=11"},
		{"reopen takes back the fulfil points", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove)),    // review 2 + on time 1
			s(rev, 2*h, dtr("d", ActionPublish)),  // publish 1 + on time 1
			s(vol, 3*h, dtr("d", ActionClaim)),    // on time 1
			s(vol, 5*h, dtr("d", ActionFulfil)),   // fulfilled 10 …
			s(coord, 6*h, dtr("d", ActionReopen)), // … taken back
		}, "coord=1 rev=5 vol=1"},
		{"fulfilled again after a reopen earns once", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove), dtr("d", ActionPublish)),
			s(vol, 3*h, dtr("d", ActionClaim)),
			s(vol, 5*h, dtr("d", ActionFulfil)),
			s(coord, 6*h, dtr("d", ActionReopen)),
			s(coord, 7*h, dtr("d", ActionHandover)), // to vol2
			s(vol2, 8*h, dtr("d", ActionFulfil)),    // vol2 earns the 10, vol none
		}, "coord=1 rev=5 vol2=10 vol=1"},
		{"a reviewer cannot reopen: the points stand", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove), dtr("d", ActionPublish)),
			s(vol, 3*h, dtr("d", ActionClaim)),
			s(vol, 5*h, dtr("d", ActionFulfil)),
			s(rev, 6*h, dtr("d", ActionReopen)), // conflicts (role)
		}, "coord=1 rev=5 vol=11"},
		{"late publish, late claim", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove)),
			s(rev2, 4*h, dtr("d", ActionPublish)),
			s(vol, 11*h, dtr("d", ActionClaim)),
			s(vol, 12*h, dtr("d", ActionFulfil)),
		}, "coord=1 rev2=1 rev=3 vol=10"},
		{"claim, release, claim again earns once", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove), dtr("d", ActionPublish)),
			s(vol, 2*h, dtr("d", ActionClaim)),
			s(vol, 3*h, dtr("d", ActionRelease)),
			s(vol, 4*h, dtr("d", ActionClaim)),
			s(vol, 5*h, dtr("d", ActionRelease)),
			s(vol2, 6*h, dtr("d", ActionClaim)), // 3 h after the release: on time
		}, "coord=1 rev=5 vol2=1 vol=1"},
		{"conflicting claim earns nothing", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove), dtr("d", ActionPublish)),
			s(vol, 2*h, dtr("d", ActionClaim)),
			s(vol2, 2*h, dtr("d", ActionClaim)), // loses: vol claimed first
		}, "coord=1 rev=5 vol=1"},
		{"mark duplicate after publication", []step{
			s(coord, 0, newDemand("d")),
			s(rev, h, dtr("d", ActionApprove), dtr("d", ActionPublish)),
			s(rev2, 9*h, dtr("d", ActionMarkDuplicate)),
		}, "coord=1 rev2=2 rev=5"},
		{"observer steps earn nothing", []step{
			s(coord, 0, newDemand("d")),
			s(obs, time.Minute, dtr("d", ActionApprove)),
		}, ""},
		{"task accepted on time and done", []step{
			s(coord, 0, newTask("t", "d", vol)),
			s(vol, 30*time.Minute, ttr("t", ActionAccept)),
			s(vol, 3*h, ttr("t", ActionComplete)),
		}, "vol=7"},
		{"task accepted late, completed by a coordinator", []step{
			s(coord, 0, newTask("t", "d", vol)),
			s(vol, 2*h, ttr("t", ActionAccept)),
			s(coord, 3*h, ttr("t", ActionComplete)),
		}, "vol=6"},
		{"task declined on time", []step{
			s(coord, 0, newTask("t", "d", vol)),
			s(vol, 59*time.Minute, ttr("t", ActionDecline)),
		}, "vol=1"},
		{"task with its own reply-by", []step{
			s(coord, 0, newTask("t", "d", vol), must(SetFields(KindTask, "t", map[string]any{FieldReplyBy: t0.Add(5 * h)}))),
			s(vol, 4*h, ttr("t", ActionAccept)),
		}, "vol=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, ts := play(t, tt.steps).views()
			got := Points(ds, ts, DefaultDeadlines())
			if totals(got) != tt.want {
				t.Errorf("Points(%s) = %q; want %q", tt.name, totals(got), tt.want)
			}
		})
	}
}

func TestPointsHistoryAndRanks(t *testing.T) {
	const h = time.Hour
	ds, ts := play(t, []step{
		s(coord, 0, newDemand("d")),
		s(rev, h, dtr("d", ActionApprove)),
		s(rev2, 2*h, dtr("d", ActionPublish)),
		s(coord, 0, newTask("t", "d", vol2)),
		s(vol2, 10*time.Minute, ttr("t", ActionAccept)),
	}).views()
	lb := Points(ds, ts, DefaultDeadlines())
	st := func(d time.Duration) ledger.Stamp { return ledger.Stamp{Wall: at(d)} }
	want := Leaderboard{Standings: []Standing{
		{Member: rev, Points: 3, Rank: 1, History: []Award{
			{Rule: RuleOnTime, Kind: KindDemand, Entity: "d", At: st(h), Points: 1},
			{Rule: RuleReview, Kind: KindDemand, Entity: "d", At: st(h), Points: 2},
		}},
		{Member: vol2, Points: 2, Rank: 2, History: []Award{
			{Rule: RuleOnTime, Kind: KindTask, Entity: "t", At: st(10 * time.Minute), Points: 1},
			{Rule: RuleTaskAccepted, Kind: KindTask, Entity: "t", At: st(10 * time.Minute), Points: 1},
		}},
		{Member: rev2, Points: 2, Rank: 2, History: []Award{
			{Rule: RuleOnTime, Kind: KindDemand, Entity: "d", At: st(2 * h), Points: 1},
			{Rule: RulePublish, Kind: KindDemand, Entity: "d", At: st(2 * h), Points: 1},
		}},
		{Member: coord, Points: 1, Rank: 4, History: []Award{
			{Rule: RuleDemandRecorded, Kind: KindDemand, Entity: "d", At: st(0), Points: 1},
		}},
	}}
	// vol2 (dev 4) sorts before rev2 (dev 7) at equal points.
	if !reflect.DeepEqual(lb, want) {
		t.Errorf("Points = %+v;\nwant %+v", lb, want)
	}
	if s, ok := lb.Of(rev2); !ok || s.Points != 2 {
		t.Errorf("Of(rev2) = %+v, %v; want 2 points", s, ok)
	}
	if _, ok := lb.Of(obs); ok {
		t.Errorf("Of(obs) found; want none")
	}
	if got := Points(nil, nil, Deadlines{}); len(got.Standings) != 0 {
		t.Errorf("Points(nil) = %+v; want empty", got)
	}
}

// TestPointsOrderIndependent: random histories on several demands and tasks give
// the same leaderboard whatever the order of the views, and with views repeated.
func TestPointsOrderIndependent(t *testing.T) {
	actors := []ledger.DeviceID{coord, rev, vol, vol2, obs, rev2}
	dActions := []Action{ActionApprove, ActionReject, ActionMarkDuplicate, ActionPublish, ActionClaim,
		ActionRelease, ActionProgress, ActionFulfil, ActionWithdraw, ActionHandover, ActionReopen}
	tActions := []Action{ActionAccept, ActionDecline, ActionComplete}
	rapid.Check(t, func(rt *rapid.T) {
		w := seeded(t)
		nd := rapid.IntRange(1, 4).Draw(rt, "demands")
		for i := range nd {
			id := fmt.Sprintf("d%d", i)
			w.do(rapid.SampledFrom(actors).Draw(rt, "creator"), at(time.Duration(rapid.IntRange(0, 120).Draw(rt, "created"))*time.Minute), newDemand(id))
			for range rapid.IntRange(0, 8).Draw(rt, "steps") {
				a := rapid.SampledFrom(dActions).Draw(rt, "action")
				w.do(rapid.SampledFrom(actors).Draw(rt, "actor"), at(time.Duration(rapid.IntRange(0, 900).Draw(rt, "at"))*time.Minute), dtr(id, a))
			}
		}
		for i := range rapid.IntRange(0, 3).Draw(rt, "tasks") {
			id := fmt.Sprintf("t%d", i)
			w.do(coord, at(time.Duration(rapid.IntRange(0, 120).Draw(rt, "offered"))*time.Minute), newTask(id, "d0", rapid.SampledFrom(actors).Draw(rt, "to")))
			for range rapid.IntRange(0, 3).Draw(rt, "steps") {
				a := rapid.SampledFrom(tActions).Draw(rt, "action")
				w.do(rapid.SampledFrom(actors).Draw(rt, "actor"), at(time.Duration(rapid.IntRange(0, 300).Draw(rt, "at"))*time.Minute), ttr(id, a))
			}
		}
		ds, ts := w.views()
		dl := Deadlines{Review: time.Duration(rapid.IntRange(0, 180).Draw(rt, "review")) * time.Minute}
		want := Points(ds, ts, dl)

		// Every award is accounted for.
		for _, st := range want.Standings {
			sum := 0
			for _, a := range st.History {
				sum += a.Points
			}
			if sum != st.Points {
				rt.Fatalf("standing %s: history sums to %d; Points %d", st.Member.Short(), sum, st.Points)
			}
		}

		ds2 := rapid.Permutation(append(ds, ds[rapid.IntRange(0, len(ds)-1).Draw(rt, "dup")])).Draw(rt, "ds")
		ts2 := rapid.Permutation(slices.Clone(ts)).Draw(rt, "ts")
		if len(ts) > 0 {
			ts2 = append(ts2, ts[0])
		}
		got := Points(ds2, ts2, dl)
		if !reflect.DeepEqual(got, want) {
			rt.Fatalf("Points(permuted) = %+v;\nwant %+v", got, want)
		}
	})
}

func TestPointRuleValues(t *testing.T) {
	want := map[PointRule]int{RuleDemandRecorded: 1, RuleReview: 2, RulePublish: 1, RuleOnTime: 1,
		RuleTaskAccepted: 1, RuleTaskDone: 5, RuleDemandFulfilled: 10, "unknown": 0}
	for _, r := range slices.Sorted(maps.Keys(want)) {
		if got := r.Points(); got != want[r] {
			t.Errorf("PointRule(%s).Points() = %d; want %d", r, got, want[r])
		}
	}
}

// TestEntityAwards: the awards of one demand and one task, each with the
// member who earned it, as an index keeps them per entity.
func TestEntityAwards(t *testing.T) {
	const h = time.Hour
	ds, ts := play(t, []step{
		s(coord, 0, newDemand("d")),
		s(rev, h, dtr("d", ActionApprove)),
		s(rev2, 3*h, dtr("d", ActionPublish)), // 2 h after approval: on time, just
		s(coord, 0, newTask("t", "d", vol)),
		s(vol, 2*h, ttr("t", ActionAccept)), // late
	}).views()
	st := func(d time.Duration) ledger.Stamp { return ledger.Stamp{Wall: at(d)} }
	award := func(m ledger.DeviceID, r PointRule, kind, id string, d time.Duration) Earned {
		return Earned{Member: m, Award: Award{Rule: r, Kind: kind, Entity: id, At: st(d), Points: r.Points()}}
	}
	tests := []struct {
		name string
		got  []Earned
		want []Earned
	}{
		{"demand", DemandAwards(ds[0], Deadlines{}), []Earned{
			award(rev, RuleReview, KindDemand, "d", h), award(rev, RuleOnTime, KindDemand, "d", h),
			award(rev2, RulePublish, KindDemand, "d", 3*h), award(rev2, RuleOnTime, KindDemand, "d", 3*h),
			award(coord, RuleDemandRecorded, KindDemand, "d", 0),
		}},
		{"demand, publish window 1 h", DemandAwards(ds[0], Deadlines{Publish: h}), []Earned{
			award(rev, RuleReview, KindDemand, "d", h), award(rev, RuleOnTime, KindDemand, "d", h),
			award(rev2, RulePublish, KindDemand, "d", 3*h),
			award(coord, RuleDemandRecorded, KindDemand, "d", 0),
		}},
		{"task", TaskAwards(ts[0], Deadlines{}), []Earned{award(vol, RuleTaskAccepted, KindTask, "t", 2*h)}},
	}
	for _, tc := range tests {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s awards = %+v; want %+v", tc.name, tc.got, tc.want)
		}
	}
	// Rank of the entities' awards is Points.
	per := map[ledger.DeviceID][]Award{}
	for _, e := range append(DemandAwards(ds[0], Deadlines{}), TaskAwards(ts[0], Deadlines{})...) {
		per[e.Member] = append(per[e.Member], e.Award)
	}
	if got, want := Rank(per), Points(ds, ts, Deadlines{}); !reflect.DeepEqual(got, want) {
		t.Errorf("Rank(awards) = %+v; want Points %+v", got, want)
	}
}
