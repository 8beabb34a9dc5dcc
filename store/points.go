package store

import (
	"slices"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// pointsTable maintains the leaderboard: the awards of every demand and task
// (relief.DemandAwards, relief.TaskAwards, computed when the entity's row is
// folded) by entity, and per member their total and the entities they earned
// awards from, updated by difference when an entity's awards change. Each
// award is held once (histories are gathered from the entities when asked).
// It is not safe for concurrent use; demandIndex guards it.
type pointsTable struct {
	members map[ledger.DeviceID]*memberPoints
	// entities are the awards of each demand and task that has any.
	entities map[entityRef][]relief.Earned
	// taskActors are the actors of each folded task (the demand table keeps
	// those of demands); taskActors maps a member to the tasks whose fold
	// depends on their roster entry.
	tasks      map[string][]ledger.DeviceID
	taskActors map[ledger.DeviceID]map[string]struct{}
	// version counts the changes of awards; lb is the leaderboard made at
	// version lbVersion (nil if none yet), which leaderboard copies while
	// nothing changed rather than sorting every award again.
	version   uint64
	lbMu      sync.Mutex
	lb        *relief.Leaderboard
	lbVersion uint64
}

// memberPoints is one member's line: their total and the entities whose
// awards name them.
type memberPoints struct {
	points int
	from   map[entityRef]struct{}
}

// entityRef names a demand or a task.
type entityRef struct{ kind, id string }

func newPointsTable() *pointsTable {
	return &pointsTable{
		members:    map[ledger.DeviceID]*memberPoints{},
		entities:   map[entityRef][]relief.Earned{},
		tasks:      map[string][]ledger.DeviceID{},
		taskActors: map[ledger.DeviceID]map[string]struct{}{},
	}
}

// set makes now (nil for none) the awards of the entity kind/id, adjusting
// the members' totals by difference with what it had.
func (p *pointsTable) set(kind, id string, now []relief.Earned) {
	ref := entityRef{kind, id}
	old := p.entities[ref]
	if slices.Equal(old, now) {
		return
	}
	p.version++
	for _, e := range old {
		m := p.members[e.Member]
		if m == nil {
			continue
		}
		m.points -= e.Award.Points
		delete(m.from, ref)
		if len(m.from) == 0 {
			delete(p.members, e.Member)
		}
	}
	if len(now) == 0 {
		delete(p.entities, ref)
		return
	}
	if cap(now) > len(now) {
		now = slices.Clone(now) // give back the slack of appending
	}
	p.entities[ref] = now
	for _, e := range now {
		m := p.members[e.Member]
		if m == nil {
			m = &memberPoints{from: map[entityRef]struct{}{}}
			p.members[e.Member] = m
		}
		m.from[ref] = struct{}{}
		m.points += e.Award.Points
	}
}

// history returns the awards of member m, oldest first.
func (p *pointsTable) history(member ledger.DeviceID, m *memberPoints) []relief.Award {
	h := make([]relief.Award, 0, len(m.from))
	for ref := range m.from {
		for _, e := range p.entities[ref] {
			if e.Member == member {
				h = append(h, e.Award)
			}
		}
	}
	slices.SortFunc(h, compareAwards)
	return h
}

// setTask replaces the awards and actors of task id (nil awards and actors
// when the task is gone).
func (p *pointsTable) setTask(id string, awards []relief.Earned, actors []ledger.DeviceID) {
	p.set(relief.KindTask, id, awards)
	oldActors := p.tasks[id]
	if !slices.Equal(oldActors, actors) {
		for _, a := range oldActors {
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
	p.tasks[id] = actors
}

// leaderboard returns the standings of every member with points, each with
// its history (a fresh copy the caller may keep). Readers may call it
// concurrently (under demandIndex's read lock): the last one made is kept
// until the awards change, and copied.
func (p *pointsTable) leaderboard() relief.Leaderboard {
	p.lbMu.Lock()
	defer p.lbMu.Unlock()
	if p.lb == nil || p.lbVersion != p.version {
		lb := p.makeLeaderboard()
		p.lb, p.lbVersion = &lb, p.version
	}
	out := relief.Leaderboard{Standings: slices.Clone(p.lb.Standings)}
	for i := range out.Standings {
		out.Standings[i].History = slices.Clone(out.Standings[i].History)
	}
	return out
}

// makeLeaderboard gathers and sorts every member's awards and ranks the members.
func (p *pointsTable) makeLeaderboard() relief.Leaderboard {
	var lb relief.Leaderboard
	lb.Standings = make([]relief.Standing, 0, len(p.members))
	for member, m := range p.members {
		lb.Standings = append(lb.Standings, relief.Standing{Member: member, Points: m.points, History: p.history(member, m)})
	}
	relief.RankStandings(lb.Standings)
	return lb
}

// standings returns the standings without their histories: members and
// totals only, ranked.
func (p *pointsTable) standings() []relief.Standing {
	out := make([]relief.Standing, 0, len(p.members))
	for member, m := range p.members {
		out = append(out, relief.Standing{Member: member, Points: m.points})
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
