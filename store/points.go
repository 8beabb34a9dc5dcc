package store

import (
	"iter"
	"slices"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// pointsTable maintains the leaderboard: the awards of every demand and task
// (relief.DemandAwards, relief.TaskAwards, computed when the entity's row is
// folded), packed, by entity, and each member's total, updated by difference
// when an entity's awards change. Each award is held once; histories are
// gathered from the entities when asked. It is not safe for concurrent use;
// demandIndex guards it.
type pointsTable struct {
	// demands are the awards of each demand that has any, by id; others
	// those of the tasks (any other kind), by kind and id. The demands have
	// a map of their own, keyed by the id alone, as they are most entities
	// (300,000 at 300k demands): 16 bytes a slot less than a key naming the
	// kind, about 8 MiB there.
	demands demandAwards
	others  map[entityRef][]packedAward
	// keys are the members who ever earned an award, numbered by index
	// (packedAward.member, idx); points are their totals by number.
	keys   []ledger.DeviceID
	idx    map[ledger.DeviceID]uint32
	points []int
	// rules are the rules of the awards, numbered by index (packedAward.rule).
	rules   []relief.PointRule
	ruleIdx map[relief.PointRule]uint8
	// tasks are the actors of each folded task (the demand table keeps
	// those of demands), as numbers of actorKeys (4 bytes an actor where a
	// member id takes 32: 50,000 tasks held 11 MiB of ids); taskActors maps
	// a member to the tasks whose fold depends on their roster entry.
	tasks      map[string][]uint32
	actorKeys  []ledger.DeviceID
	actorIdx   map[ledger.DeviceID]uint32
	taskActors map[ledger.DeviceID]map[string]struct{}
	// version counts the changes of awards; lb is the leaderboard made at
	// version lbVersion (nil if none yet), which leaderboard copies while
	// nothing changed rather than sorting every award again.
	version   uint64
	lbMu      sync.Mutex
	lb        *relief.Leaderboard
	lbVersion uint64
}

// packedAward is a relief.Award of a known entity, in 24 bytes: its stamp,
// the number of its member and of its rule.
type packedAward struct {
	at     ledger.Stamp
	member uint32
	rule   uint8
}

// entityRef names a demand or a task.
type entityRef struct{ kind, id string }

func newPointsTable() *pointsTable {
	return &pointsTable{
		others:     map[entityRef][]packedAward{},
		idx:        map[ledger.DeviceID]uint32{},
		ruleIdx:    map[relief.PointRule]uint8{},
		tasks:      map[string][]uint32{},
		actorIdx:   map[ledger.DeviceID]uint32{},
		taskActors: map[ledger.DeviceID]map[string]struct{}{},
	}
}

// pack returns the packed form of e, numbering its member and rule if new.
func (p *pointsTable) pack(e relief.Earned) packedAward {
	m, ok := p.idx[e.Member]
	if !ok {
		m = uint32(len(p.keys))
		p.idx[e.Member] = m
		p.keys = append(p.keys, e.Member)
		p.points = append(p.points, 0)
	}
	r, ok := p.ruleIdx[e.Award.Rule]
	if !ok {
		r = uint8(len(p.rules))
		p.ruleIdx[e.Award.Rule] = r
		p.rules = append(p.rules, e.Award.Rule)
	}
	return packedAward{at: e.Award.At, member: m, rule: r}
}

// awardsOf returns the awards of ref (nil for none).
func (p *pointsTable) awardsOf(ref entityRef) []packedAward {
	if ref.kind == relief.KindDemand {
		return p.demands.get(ref.id)
	}
	return p.others[ref]
}

// entities yields every entity that has awards, with them, in no order.
func (p *pointsTable) entities() iter.Seq2[entityRef, []packedAward] {
	return func(yield func(entityRef, []packedAward) bool) {
		for n, as := range p.demands.awards {
			if as != nil && !yield(entityRef{relief.KindDemand, p.demands.ids[n]}, as) {
				return
			}
		}
		for ref, as := range p.others {
			if !yield(ref, as) {
				return
			}
		}
	}
}

// award unpacks a, an award of ref.
func (p *pointsTable) award(ref entityRef, a packedAward) relief.Award {
	rule := p.rules[a.rule]
	return relief.Award{Rule: rule, Kind: ref.kind, Entity: ref.id, At: a.at, Points: rule.Points()}
}

// set makes now (nil for none) the awards of the entity kind/id, adjusting
// the members' totals by difference with what it had.
func (p *pointsTable) set(kind, id string, now []relief.Earned) {
	ref := entityRef{kind, id}
	old := p.awardsOf(ref)
	if len(old) == 0 && len(now) == 0 {
		return
	}
	var packed []packedAward
	if len(now) > 0 {
		packed = make([]packedAward, len(now))
		for i, e := range now {
			packed[i] = p.pack(e)
		}
	}
	if slices.Equal(old, packed) {
		return
	}
	p.version++
	for _, a := range old {
		p.points[a.member] -= p.rules[a.rule].Points()
	}
	for _, a := range packed {
		p.points[a.member] += p.rules[a.rule].Points()
	}
	switch {
	case kind == relief.KindDemand:
		p.demands.set(id, packed)
	case len(packed) == 0:
		delete(p.others, ref)
	default:
		p.others[ref] = packed
	}
}

// histories returns the awards of every member, each oldest first, by
// member number.
func (p *pointsTable) histories() map[uint32][]relief.Award {
	out := map[uint32][]relief.Award{}
	for ref, as := range p.entities() {
		for _, a := range as {
			out[a.member] = append(out[a.member], p.award(ref, a))
		}
	}
	for _, h := range out {
		slices.SortFunc(h, compareAwards)
	}
	return out
}

// of returns the standing of member (Rank 0) with their history (a fresh
// copy), and whether they have points. It reads the leaderboard kept by
// leaderboard, made again only when the awards changed.
func (p *pointsTable) of(member ledger.DeviceID) (relief.Standing, bool) {
	if m, ok := p.idx[member]; !ok || p.points[m] == 0 {
		return relief.Standing{}, false
	}
	p.lbMu.Lock()
	defer p.lbMu.Unlock()
	for _, st := range p.current().Standings {
		if st.Member == member {
			return relief.Standing{Member: member, Points: st.Points, History: slices.Clone(st.History)}, true
		}
	}
	return relief.Standing{}, false
}

// setTask replaces the awards and actors of task id (nil awards and actors
// when the task is gone).
func (p *pointsTable) setTask(id string, awards []relief.Earned, actors []ledger.DeviceID) {
	p.set(relief.KindTask, id, awards)
	var nums []uint32
	if actors != nil {
		nums = make([]uint32, len(actors))
		for i, a := range actors {
			n, ok := p.actorIdx[a]
			if !ok {
				n = uint32(len(p.actorKeys))
				p.actorIdx[a] = n
				p.actorKeys = append(p.actorKeys, a)
			}
			nums[i] = n
		}
	}
	oldActors := p.tasks[id]
	if !slices.Equal(oldActors, nums) {
		for _, n := range oldActors {
			a := p.actorKeys[n]
			if ts := p.taskActors[a]; ts != nil {
				delete(ts, id)
				if len(ts) == 0 {
					delete(p.taskActors, a)
				}
			}
		}
		for _, a := range actors {
			ts := p.taskActors[a]
			if ts == nil {
				ts = map[string]struct{}{}
				p.taskActors[a] = ts
			}
			ts[id] = struct{}{}
		}
	}
	if actors == nil {
		delete(p.tasks, id)
		return
	}
	p.tasks[id] = nums
}

// leaderboard returns the standings of every member with points, each with
// its history (a fresh copy the caller may keep). Readers may call it
// concurrently (under demandIndex's read lock): the last one made is kept
// until the awards change, and copied.
func (p *pointsTable) leaderboard() relief.Leaderboard {
	p.lbMu.Lock()
	defer p.lbMu.Unlock()
	out := relief.Leaderboard{Standings: slices.Clone(p.current().Standings)}
	for i := range out.Standings {
		out.Standings[i].History = slices.Clone(out.Standings[i].History)
	}
	return out
}

// current returns the leaderboard of the current awards, made again if they
// changed since it was last made. Called with lbMu held.
func (p *pointsTable) current() *relief.Leaderboard {
	if p.lb == nil || p.lbVersion != p.version {
		lb := p.makeLeaderboard()
		p.lb, p.lbVersion = &lb, p.version
	}
	return p.lb
}

// makeLeaderboard gathers and sorts every member's awards and ranks the members.
func (p *pointsTable) makeLeaderboard() relief.Leaderboard {
	hs := p.histories()
	lb := relief.Leaderboard{Standings: p.standings()}
	for i := range lb.Standings {
		lb.Standings[i].History = hs[p.idx[lb.Standings[i].Member]]
	}
	return lb
}

// standings returns the standings without their histories: members and
// totals only, ranked.
func (p *pointsTable) standings() []relief.Standing {
	out := make([]relief.Standing, 0, len(p.keys))
	for m, key := range p.keys {
		if p.points[m] != 0 {
			out = append(out, relief.Standing{Member: key, Points: p.points[m]})
		}
	}
	relief.RankStandings(out)
	return out
}

// compareAwards orders awards as relief.Standing.History does: by At, then
// kind, entity, rule and points.
func compareAwards(a, b relief.Award) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if a.Kind != b.Kind {
		return cmpString(a.Kind, b.Kind)
	}
	if a.Entity != b.Entity {
		return cmpString(a.Entity, b.Entity)
	}
	if a.Rule != b.Rule {
		return cmpString(string(a.Rule), string(b.Rule))
	}
	return a.Points - b.Points
}

func cmpString(a, b string) int {
	if a < b {
		return -1
	}
	return 1
}

// demandAwards holds the awards of the demands that have any, by id, as a
// map of id to awards did (about 96 bytes a demand at 300,000 demands:
// 28.8 MB) in about 54: an idTable numbers the ids (kept in ids, the
// demand rows' own strings), awards holds each number's, and the numbers
// of demands whose awards went are used again (free). The zero value is
// empty. Not safe for concurrent use.
type demandAwards struct {
	num    idTable
	ids    []string        // number → id ("" when free)
	awards [][]packedAward // number → awards (nil when free)
	free   []uint32
}

// idOf returns the id of number n (idSource of num).
func (d *demandAwards) idOf(n uint32) string { return d.ids[n] }

// reserve makes room for n demands.
func (d *demandAwards) reserve(n int) {
	d.num.reserve(n)
	d.ids = slices.Grow(d.ids, max(0, n-len(d.ids)))
	d.awards = slices.Grow(d.awards, max(0, n-len(d.awards)))
}

// get returns the awards of demand id (nil for none).
func (d *demandAwards) get(id string) []packedAward {
	n, ok := d.num.get(id, d)
	if !ok {
		return nil
	}
	return d.awards[n]
}

// set makes as (nil or empty for none) the awards of demand id.
func (d *demandAwards) set(id string, as []packedAward) {
	n, ok := d.num.get(id, d)
	switch {
	case ok && len(as) == 0:
		d.num.del(id, d)
		d.ids[n], d.awards[n] = "", nil
		d.free = append(d.free, n)
	case ok:
		d.awards[n] = as
	case len(as) > 0:
		if k := len(d.free); k > 0 {
			n, d.free = d.free[k-1], d.free[:k-1]
			d.ids[n], d.awards[n] = id, as
		} else {
			n = uint32(len(d.ids))
			d.ids, d.awards = append(d.ids, id), append(d.awards, as)
		}
		d.num.set(id, n, d)
	}
}
