package relief

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// refOp is one generated operation for the authority property test.
type refOp struct {
	m    Meta
	op   ledger.Op
	kind string // "member", "set", "step"
	// member ops
	action Action
	target ledger.DeviceID
	role   Role
	after  uint64
	// set
	field, value string
	// step
	step Action
	// add, remove (kind "add", "remove") of an element of the demand's tags
	elem string
	tags []Tag // remove: the add tags it names
}

// refMember is the reference's roster entry.
type refMember struct {
	role    Role
	revoked bool
	after   uint64
}

// reference replays ops in total order and computes, with rules written
// out here again, the demand's status, owner and field values, and the
// volunteer record's fields: what FoldDemand and FoldVolunteerChecked must
// show.
type reference struct {
	status Status
	owner  ledger.DeviceID
	fields map[string]string // demand field → value
	vol    map[string]string // volunteer field → value
	tags   []string          // the demand's tags, sorted
}

func replay(ops []refOp, genesis ledger.DeviceID) reference {
	sorted := slices.Clone(ops)
	slices.SortFunc(sorted, func(a, b refOp) int { return a.m.Compare(b.m) })
	// The final revocations (seq cuts) apply to every non-roster op.
	final := map[ledger.DeviceID]*refMember{}
	var roleAtOp []Role // the author's role at each op, "" if not a member then
	var activeAt []bool // the author active at each op, as the roster stood then
	var endorsedRole map[ledger.DeviceID]Role
	var members map[ledger.DeviceID]*refMember
	// fold replays the member ops in order, leaving out those cut (a
	// target's ops past the seq in cut) and the revocations not in allowed
	// (nil: all); it returns, by target, the op that revoked it.
	fold := func(cut map[ledger.DeviceID]uint64, allowed map[int]bool) map[ledger.DeviceID]int {
		roleAtOp = make([]Role, len(sorted))
		activeAt = make([]bool, len(sorted))
		members = map[ledger.DeviceID]*refMember{genesis: {role: RoleCoordinator}}
		endorsedRole = map[ledger.DeviceID]Role{genesis: RoleCoordinator}
		by := map[ledger.DeviceID]int{}
		for i, o := range sorted {
			a := members[o.m.Device]
			if a != nil {
				roleAtOp[i] = a.role
				activeAt[i] = !(a.revoked && o.m.Seq > a.after)
			}
			if at, ok := cut[o.m.Device]; ok && o.m.Seq > at {
				continue
			}
			if o.kind != "member" || a == nil || !activeAt[i] {
				continue
			}
			t := members[o.target]
			switch o.action {
			case OpEndorse:
				if t == nil && CanEndorse(a.role, o.role) {
					members[o.target] = &refMember{role: o.role}
					endorsedRole[o.target] = o.role
				}
			case OpPromote:
				if a.role == RoleCoordinator && t != nil && !t.revoked {
					t.role = o.role
				}
			case OpRevoke:
				if a.role == RoleCoordinator && t != nil && !t.revoked && (allowed == nil || allowed[i]) {
					t.revoked, t.after = true, o.after
					by[o.target] = i
				}
			}
		}
		return by
	}
	// A revocation of T after N is judged without T's own ops past N (those
	// it cuts), the others' cuts standing: repeated until the cuts settle.
	cuts := map[ledger.DeviceID]uint64{}
	var allowed map[int]bool
	for range len(sorted) + 1 {
		allowed = map[int]bool{}
		next := map[ledger.DeviceID]uint64{}
		for i, o := range sorted {
			if o.kind != "member" || o.action != OpRevoke {
				continue
			}
			if _, ok := next[o.target]; ok {
				continue
			}
			c := maps.Clone(cuts)
			c[o.target] = o.after
			if j, ok := fold(c, nil)[o.target]; ok && j == i {
				allowed[i] = true
				next[o.target] = o.after
			}
		}
		if maps.Equal(next, cuts) {
			break
		}
		cuts = next
	}
	fold(cuts, allowed) // the cut ops are left out of the roster too
	final = members
	// Before its endorsement a member holds the role it was endorsed with.
	for i, o := range sorted {
		if roleAtOp[i] == "" {
			roleAtOp[i] = endorsedRole[o.m.Device]
		}
	}
	admitted := func(i int) (Role, bool) {
		o := sorted[i]
		f := final[o.m.Device]
		if f == nil || f.revoked && o.m.Seq > f.after {
			return "", false
		}
		return roleAtOp[i], true
	}
	isStaff := func(r Role) bool { return r == RoleCoordinator || r == RoleReviewer }
	doer := func(r Role) bool { return r.Valid() && r != RoleObserver }

	var demandCreator, volCreator ledger.DeviceID
	for _, o := range sorted {
		if o.op.Kind == KindDemand && demandCreator.IsZero() {
			demandCreator = o.m.Device
		}
		if o.op.Kind == KindVolunteer && volCreator.IsZero() {
			volCreator = o.m.Device
		}
	}
	// created: some title write allowed without ownership
	created := false
	for i, o := range sorted {
		if o.kind == "set" && o.op.Kind == KindDemand && o.field == FieldTitle {
			if r, ok := admitted(i); ok && (isStaff(r) || doer(r) && o.m.Device == demandCreator) {
				created = true
			}
		}
	}
	ref := reference{status: StatusCollected, fields: map[string]string{}, vol: map[string]string{}}
	claimable := func() bool { return ref.status == StatusPublished || ref.status == StatusInProgress }
	// steps first: fields do not change them
	type ownerAtPos struct {
		m     Meta
		owner ledger.DeviceID
	}
	var owners []ownerAtPos
	for i, o := range sorted {
		if o.kind != "step" {
			continue
		}
		r, ok := admitted(i)
		if !ok || !created || !doer(r) {
			continue
		}
		me := o.m.Device
		switch o.step {
		case ActionApprove:
			if ref.status == StatusCollected && isStaff(r) {
				ref.status = StatusApproved
			}
		case ActionReject:
			if (ref.status == StatusCollected || ref.status == StatusApproved) && isStaff(r) {
				ref.status = StatusRejected
			}
		case ActionPublish:
			if ref.status == StatusApproved && isStaff(r) {
				ref.status = StatusPublished
			}
		case ActionClaim:
			if claimable() && ref.owner.IsZero() {
				ref.owner = me
				owners = append(owners, ownerAtPos{o.m, me})
			}
		case ActionRelease:
			if claimable() && !ref.owner.IsZero() && ref.owner == me {
				ref.owner = ledger.DeviceID{}
				owners = append(owners, ownerAtPos{o.m, ledger.DeviceID{}})
			}
		case ActionFulfil:
			if claimable() && !ref.owner.IsZero() && ref.owner == me {
				ref.status = StatusFulfilled
			}
		}
	}
	ownerAtM := func(m Meta) ledger.DeviceID {
		var o ledger.DeviceID
		for _, c := range owners {
			if c.m.Compare(m) < 0 {
				o = c.owner
			}
		}
		return o
	}
	var volKey ledger.DeviceID
	for i, o := range sorted { // the volunteer's key first: who it is about
		if o.kind == "set" && o.op.Kind == KindVolunteer && o.field == FieldKey {
			if r, ok := admitted(i); ok && (isStaff(r) || doer(r) && o.m.Device == volCreator) {
				volKey = dev(o.value[0])
			}
		}
	}
	for i, o := range sorted {
		if o.kind != "set" {
			continue
		}
		r, ok := admitted(i)
		if !ok {
			continue
		}
		me := o.m.Device
		switch o.op.Kind {
		case KindDemand:
			owner := ownerAtM(o.m)
			if isStaff(r) || o.field != FieldReviewNotes && doer(r) && (me == demandCreator || !owner.IsZero() && me == owner) {
				ref.fields[o.field] = o.value
			}
		case KindVolunteer:
			if o.field == FieldKey {
				continue
			}
			if isStaff(r) || doer(r) && me == volCreator || !volKey.IsZero() && me == volKey {
				ref.vol[o.field] = o.value
			}
		}
	}
	// tags: present while an allowed add's tag is not named by an allowed remove
	allowedSet := func(i int) bool {
		r, ok := admitted(i)
		o := sorted[i]
		owner := ownerAtM(o.m)
		return ok && (isStaff(r) || doer(r) && (o.m.Device == demandCreator || !owner.IsZero() && o.m.Device == owner))
	}
	removed := map[Tag]bool{}
	for i, o := range sorted {
		if o.kind == "remove" && allowedSet(i) {
			for _, t := range o.tags {
				removed[t] = true
			}
		}
	}
	present := map[string]bool{}
	for i, o := range sorted {
		if o.kind == "add" && allowedSet(i) && !removed[o.m.tag()] {
			present[o.elem] = true
		}
	}
	for e := range present {
		ref.tags = append(ref.tags, e)
	}
	slices.Sort(ref.tags)
	return ref
}

// TestAuthorityProperty: random roster changes (endorse, promote, demote,
// revoke) and operations (field writes, tag additions and removals, steps) by
// members of every role,
// delivered in random orders (with duplicates) to three folds, give identical
// state, and that state is the one a brute-force reference replaying every
// operation in total order computes, so no operation its author was not
// allowed to make at its position has any effect.
func TestAuthorityProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		genesis := dev(1)
		devs := []ledger.DeviceID{genesis, dev(2), dev(3), dev(4), dev(5), dev(6)}
		seqs := map[ledger.DeviceID]uint64{}
		var ops []refOp
		emit := func(d ledger.DeviceID, wall int64, o refOp, op ledger.Op) {
			seqs[d]++
			o.m = Meta{Stamp: ledger.Stamp{Wall: wall}, Device: d, Seq: seqs[d], Change: changeID(d, seqs[d])}
			o.op = op
			ops = append(ops, o)
		}
		roleGen := rapid.SampledFrom(Roles)
		// the genesis and the first endorsements, at walls 1–2
		emit(genesis, 1, refOp{kind: "member", action: OpGenesis, target: genesis}, must(Genesis(genesis, "G")))
		for _, d := range devs[1:4] {
			r := roleGen.Draw(t, "role")
			emit(genesis, 2, refOp{kind: "member", action: OpEndorse, target: d, role: r}, must(Endorse(d, r, "m")))
		}
		demandFields := []string{FieldTitle, FieldDescription, FieldReviewNotes}
		n := rapid.IntRange(5, 40).Draw(t, "ops")
		for range n {
			d := rapid.SampledFrom(devs).Draw(t, "author")
			wall := int64(rapid.IntRange(3, 40).Draw(t, "wall"))
			switch rapid.IntRange(0, 11).Draw(t, "what") {
			case 10: // add a tag to the demand
				e := rapid.SampledFrom([]string{"x", "y"}).Draw(t, "elem")
				emit(d, wall, refOp{kind: "add", elem: e}, must(Add(KindDemand, "d", SetTags, e)))
			case 11: // remove a tag, naming some earlier additions of it
				e := rapid.SampledFrom([]string{"x", "y"}).Draw(t, "elem")
				var tags []Tag
				for _, o := range ops {
					if o.kind == "add" && o.elem == e && rapid.Bool().Draw(t, "names") {
						tags = append(tags, o.m.tag())
					}
				}
				if len(tags) == 0 {
					continue
				}
				emit(d, wall, refOp{kind: "remove", elem: e, tags: tags}, must(makeOp(KindDemand, "d", OpRemove, removeBody{Set: SetTags, Elems: map[string][]Tag{e: tags}})))
			case 0: // endorse a newcomer (or someone already in)
				target := rapid.SampledFrom(devs[1:]).Draw(t, "target")
				r := roleGen.Draw(t, "role")
				emit(d, wall, refOp{kind: "member", action: OpEndorse, target: target, role: r}, must(Endorse(target, r, "m")))
			case 1: // promote or demote
				target := rapid.SampledFrom(devs[1:]).Draw(t, "target")
				r := roleGen.Draw(t, "role")
				emit(d, wall, refOp{kind: "member", action: OpPromote, target: target, role: r}, must(Promote(target, r)))
			case 2: // revoke, rarely
				if rapid.IntRange(0, 2).Draw(t, "revoke") != 0 {
					continue
				}
				target := rapid.SampledFrom(devs[1:]).Draw(t, "target")
				after := uint64(rapid.IntRange(0, 4).Draw(t, "after"))
				emit(d, wall, refOp{kind: "member", action: OpRevoke, target: target, after: after}, must(Revoke(target, after, "")))
			case 3, 4, 5: // a demand field
				f := rapid.SampledFrom(demandFields).Draw(t, "field")
				v := rapid.SampledFrom([]string{"a", "b", "c", "d"}).Draw(t, "value")
				emit(d, wall, refOp{kind: "set", field: f, value: v}, must(SetFields(KindDemand, "d", map[string]any{f: v})))
			case 6, 7, 8: // a step
				a := rapid.SampledFrom([]Action{ActionApprove, ActionReject, ActionPublish, ActionClaim, ActionRelease, ActionFulfil}).Draw(t, "step")
				emit(d, wall, refOp{kind: "step", step: a}, must(Transition(KindDemand, "d", a, withEvidence(a, Args{}))))
			case 9: // the volunteer record: its key, or its region
				if rapid.Bool().Draw(t, "key") {
					k := rapid.SampledFrom(devs).Draw(t, "key")
					emit(d, wall, refOp{kind: "set", field: FieldKey, value: string(k[0:1])}, must(SetFields(KindVolunteer, "v", map[string]any{FieldKey: k})))
				} else {
					v := rapid.SampledFrom([]string{"Hankou", "Wuchang"}).Draw(t, "region")
					emit(d, wall, refOp{kind: "set", field: FieldRegion, value: v}, must(SetFields(KindVolunteer, "v", map[string]any{FieldRegion: v})))
				}
			}
		}
		type seen struct {
			demand Demand
			vol    Volunteer
			hash   ledger.Hash
		}
		var views []seen
		for p := range 3 {
			order := rapid.Permutation(append(slices.Clone(ops), ops[:len(ops)/3]...)).Draw(t, "order")
			r := replica{}
			for _, o := range order {
				r.apply(t, delivery{o.m, o.op})
			}
			roster := NewRoster(r.records())
			var s seen
			s.hash, _ = StateHash(r.records())
			if rec := r["demand/d"]; rec != nil {
				s.demand = FoldDemand(rec, roster)
				if got := DemandStatus(rec, roster); got != s.demand.Status {
					t.Fatalf("DemandStatus = %s; FoldDemand says %s", got, s.demand.Status)
				}
			}
			if rec := r["volunteer/v"]; rec != nil {
				s.vol = FoldVolunteerChecked(rec, roster)
			}
			views = append(views, s)
			if p > 0 && !reflect.DeepEqual(views[0], s) {
				t.Fatalf("peer %d differs from peer 0:\n%+v\n%+v", p, s, views[0])
			}
		}
		ref := replay(ops, genesis)
		got := views[0]
		if _, ok := func() (Demand, bool) { return got.demand, got.demand.ID != "" }(); ok {
			d := got.demand
			if d.Status != ref.status || d.Owner != ref.owner {
				t.Fatalf("FoldDemand = %s owner %s; the reference in total order says %s owner %s", d.Status, d.Owner.Short(), ref.status, ref.owner.Short())
			}
			gotFields := map[string]string{}
			for f, v := range map[string]string{FieldTitle: d.Title, FieldDescription: d.Description, FieldReviewNotes: d.ReviewNotes} {
				if v != "" {
					gotFields[f] = v
				}
			}
			if !reflect.DeepEqual(gotFields, ref.fields) {
				t.Fatalf("FoldDemand fields = %v; the reference in total order says %v", gotFields, ref.fields)
			}
			if !slices.Equal(d.Tags, ref.tags) {
				t.Fatalf("FoldDemand tags = %v; the reference in total order says %v", d.Tags, ref.tags)
			}
		}
		if got.vol.ID != "" {
			gotVol := map[string]string{}
			if got.vol.Region != "" {
				gotVol[FieldRegion] = got.vol.Region
			}
			if !reflect.DeepEqual(gotVol, ref.vol) {
				t.Fatalf("FoldVolunteerChecked region = %v; the reference in total order says %v", gotVol, ref.vol)
			}
		}
	})
}
