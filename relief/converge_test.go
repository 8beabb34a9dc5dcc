package relief

import (
	"bytes"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// delivery is one operation of one change, as the store hands it to ApplyOp.
type delivery struct {
	m  Meta
	op ledger.Op
}

type replica map[string]*Record

func (r replica) apply(t *rapid.T, d delivery) {
	k := d.op.Kind + "/" + d.op.ID
	rec := r[k]
	if rec == nil {
		rec = &Record{}
		r[k] = rec
	}
	if err := ApplyOp(rec, d.m, d.op); err != nil {
		t.Fatalf("ApplyOp(%s %s) = %v; want nil", k, d.op.Type, err)
	}
}

func (r replica) records() []*Record {
	out := make([]*Record, 0, len(r))
	for _, rec := range r {
		out = append(out, rec)
	}
	return out
}

// state is everything a replica shows: its state hash, roster and views.
type state struct {
	hash      ledger.Hash
	members   []Member
	conflicts []Conflict
	demands   map[string]Demand
	vols      map[string]Volunteer
	encoded   map[string][]byte
}

func (r replica) state(t *rapid.T) state {
	recs := r.records()
	h, err := StateHash(recs)
	if err != nil {
		t.Fatal(err)
	}
	roster := NewRoster(recs)
	s := state{hash: h, members: roster.Members(), conflicts: roster.Conflicts(),
		demands: map[string]Demand{}, vols: map[string]Volunteer{}, encoded: map[string][]byte{}}
	for k, rec := range r {
		b, err := EncodeRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		s.encoded[k] = b
		switch rec.Kind {
		case KindDemand:
			s.demands[rec.ID] = FoldDemand(rec, roster)
			if got, want := DemandStatus(rec, roster), s.demands[rec.ID].Status; got != want {
				t.Fatalf("DemandStatus(%s) = %s; FoldDemand says %s", rec.ID, got, want)
			}
		case KindVolunteer:
			s.vols[rec.ID] = FoldVolunteer(rec)
		}
	}
	return s
}

// TestConvergence is the property every peer relies on: four devices make random
// operations while syncing with each other now and then (so removes observe some
// adds, claims and reviews race, edits meet withdrawals, the roster changes);
// then every operation is delivered to several replicas, each in its own random
// order with duplicates. All replicas must end with the same encoded records, the
// same state hash, the same roster and the same views.
func TestConvergence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		devs := []ledger.DeviceID{coord, rev, vol, vol2}
		newcomer := dev(40)
		var all []delivery
		local := make([]replica, len(devs)) // what each device has seen
		seen := make([]int, len(devs))      // per device: prefix of all seen via sync
		seqs := make([]uint64, len(devs))
		stamps := make([]ledger.Stamp, len(devs))
		for i := range local {
			local[i] = replica{}
		}
		emit := func(d int, ops ...ledger.Op) {
			seqs[d]++
			wall := stamps[d].Wall + int64(rapid.IntRange(0, 2).Draw(t, "tick"))
			st := ledger.Stamp{Wall: wall}
			if st.Compare(stamps[d]) <= 0 {
				st = ledger.Stamp{Wall: stamps[d].Wall, Logical: stamps[d].Logical + 1}
			}
			stamps[d] = st
			m := Meta{Stamp: st, Device: devs[d], Seq: seqs[d], Change: changeID(devs[d], seqs[d])}
			for i, op := range ops {
				mi := m
				mi.Index = i
				dl := delivery{mi, op}
				all = append(all, dl)
				local[d].apply(t, dl)
			}
		}
		sync := func(d int) { // d catches up with everything emitted so far
			for _, dl := range all[seen[d]:] {
				local[d].apply(t, dl)
				if dl.m.Stamp.Compare(stamps[d]) > 0 {
					stamps[d] = dl.m.Stamp
				}
			}
			seen[d] = len(all)
		}
		emit(0,
			must(Genesis(coord, "C")),
			must(Endorse(rev, RoleReviewer, "R")),
			must(Endorse(vol, RoleVolunteer, "V")),
			must(Endorse(vol2, RoleVolunteer, "V2")),
		)
		for d := range devs {
			sync(d)
		}

		demands := []string{"d1", "d2"}
		fields := []string{FieldTitle, FieldDistrict, FieldUrgency}
		values := map[string][]any{
			FieldTitle:    {"masks", "gloves", nil},
			FieldDistrict: {"Wuchang", "Hankou", nil},
			FieldUrgency:  {UrgencyHigh, UrgencyCritical, nil},
		}
		tags := []string{"a", "b", "c"}
		steps := rapid.IntRange(5, 30).Draw(t, "steps")
		for range steps {
			d := rapid.IntRange(0, len(devs)-1).Draw(t, "device")
			if rapid.IntRange(0, 3).Draw(t, "sync?") == 0 {
				sync(d)
			}
			var ops []ledger.Op
			for range rapid.IntRange(1, 3).Draw(t, "ops") {
				id := rapid.SampledFrom(demands).Draw(t, "demand")
				switch rapid.IntRange(0, 9).Draw(t, "kind") {
				case 0, 1, 2: // put / clear on a field
					f := rapid.SampledFrom(fields).Draw(t, "field")
					v := rapid.SampledFrom(values[f]).Draw(t, "value")
					ops = append(ops, must(SetFields(KindDemand, id, map[string]any{f: v})))
				case 3:
					ops = append(ops, must(Add(KindDemand, id, SetTags, rapid.SampledFrom(tags).Draw(t, "tag"))))
				case 4:
					tag := rapid.SampledFrom(tags).Draw(t, "tag")
					if rec := local[d][KindDemand+"/"+id]; rec != nil && len(rec.Sets[SetTags].Observed(tag)) > 0 {
						ops = append(ops, must(Remove(rec, SetTags, tag)))
					}
				case 5, 6, 7, 8: // lifecycle: claims, reviews, withdrawals, progress…
					rule := rapid.SampledFrom(Rules).Draw(t, "action")
					args := Args{Note: "n"}
					switch rule.Action {
					case ActionHandover:
						args.To = rapid.SampledFrom(devs).Draw(t, "to")
					case ActionMarkDuplicate:
						args.DuplicateOf = rapid.SampledFrom(demands).Draw(t, "dup")
					case ActionProgress, ActionDeliver, ActionAdjust:
						args.Received = []Receipt{{Item: "masks", Qty: float64(rapid.IntRange(0, 9).Draw(t, "qty"))}}
					case ActionRequestTransfer:
						args.Until = int64(rapid.IntRange(1, 300_000).Draw(t, "until"))
					case ActionAcceptTransfer, ActionDeclineTransfer:
						args.To = rapid.SampledFrom(devs).Draw(t, "requester")
					case ActionRecheck:
						args.Outcome = rapid.SampledFrom(Outcomes).Draw(t, "outcome")
					case ActionAcceptDelivery, ActionDeclineDelivery, ActionAckConflict:
						args.Ref = "x/0"
					}
					ops = append(ops, must(Transition(KindDemand, id, rule.Action, args)))
				case 9: // roster changes
					target := rapid.SampledFrom(append(devs[1:], newcomer)).Draw(t, "target")
					switch rapid.IntRange(0, 3).Draw(t, "member op") {
					case 0:
						ops = append(ops, must(Promote(target, rapid.SampledFrom(Roles).Draw(t, "role"))))
					case 1:
						ops = append(ops, must(Revoke(target, uint64(rapid.IntRange(0, 4).Draw(t, "after")), "")))
					case 2:
						ops = append(ops, must(Endorse(target, rapid.SampledFrom(Roles).Draw(t, "role"), "N")))
					case 3:
						ops = append(ops, must(Add(KindVolunteer, "v", SetSkills, rapid.SampledFrom(tags).Draw(t, "skill"))))
					}
				}
			}
			if len(ops) > 0 {
				emit(d, ops...)
			}
		}

		var want state
		for r := range 3 {
			order := rapid.Permutation(all).Draw(t, "order")
			dups := rapid.SliceOfN(rapid.IntRange(0, len(all)-1), 0, len(all)).Draw(t, "dups")
			rep := replica{}
			for i, dl := range order {
				rep.apply(t, dl)
				if i < len(dups) { // a duplicate of some op, delivered again mid-stream
					rep.apply(t, all[dups[i]])
				}
			}
			got := rep.state(t)
			if r == 0 {
				want = got
				continue
			}
			for k, b := range want.encoded {
				if !bytes.Equal(got.encoded[k], b) {
					t.Fatalf("replica %d record %s differs", r, k)
				}
			}
			if got.hash != want.hash {
				t.Fatalf("replica %d StateHash = %s; want %s", r, got.hash, want.hash)
			}
			if !reflect.DeepEqual(got.members, want.members) || !reflect.DeepEqual(got.conflicts, want.conflicts) {
				t.Fatalf("replica %d roster = %v %v; want %v %v", r, got.members, got.conflicts, want.members, want.conflicts)
			}
			if !reflect.DeepEqual(got.demands, want.demands) || !reflect.DeepEqual(got.vols, want.vols) {
				t.Fatalf("replica %d views = %+v; want %+v", r, got.demands, want.demands)
			}
		}
	})
}
