package store

import (
	"slices"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// pointsTable maintains the leaderboard: the awards of every demand and task
// (relief.DemandAwards, relief.TaskAwards, computed when the entity's row is
// folded) and, per member, their awards by entity and their total, updated by
// difference when an entity's awards change. It is not safe for concurrent
// use; demandIndex guards it.
type pointsTable struct {
	members map[ledger.DeviceID]*memberPoints
	// tasks are the folded tasks: their awards and actors (the demand table
	// keeps those of demands on their rows).
	tasks map[string]*taskEntry
	// taskActors maps a member to the tasks whose fold depends on their
	// roster entry.
	taskActors map[ledger.DeviceID]map[string]struct{}
	// version counts the changes of awards; lb is the leaderboard made at
	// version lbVersion (nil if none yet), which leaderboard copies while
	// nothing changed rather than sorting every award again.
	version   uint64
	lbMu      sync.Mutex
	lb        *relief.Leaderboard
	lbVersion uint64
}

// memberPoints is one member's line: their total and their awards by entity.
type memberPoints struct {
	points int
	awards map[entityRef][]relief.Award
}

// entityRef names a demand or a task.
type entityRef struct{ kind, id string }

// taskEntry is what the points table keeps of a task.
type taskEntry struct {
	awards []relief.Earned
	actors []ledger.DeviceID
}

func newPointsTable() *pointsTable {
	return &pointsTable{
		members:    map[ledger.DeviceID]*memberPoints{},
		tasks:      map[string]*taskEntry{},
		taskActors: map[ledger.DeviceID]map[string]struct{}{},
	}
}

// set replaces the awards of the entity kind/id, old (as last set; nil for
// none) by now (nil for none), adjusting the members' totals by difference.
func (p *pointsTable) set(kind, id string, old, now []relief.Earned) {
	if slices.Equal(old, now) {
		return
	}
	p.version++
	ref := entityRef{kind, id}
	for _, e := range old {
		m := p.members[e.Member]
		if m == nil {
			continue
		}
		if _, ok := m.awards[ref]; ok {
			for _, a := range m.awards[ref] {
				m.points -= a.Points
			}
			delete(m.awards, ref)
			if len(m.awards) == 0 {
				delete(p.members, e.Member)
			}
		}
	}
	for _, e := range now {
		m := p.members[e.Member]
		if m == nil {
			m = &memberPoints{awards: map[entityRef][]relief.Award{}}
			p.members[e.Member] = m
		}
		m.awards[ref] = append(m.awards[ref], e.Award)
		m.points += e.Award.Points
	}
}

// setTask replaces the awards and actors of task id (nil awards and actors
// when the task is gone).
func (p *pointsTable) setTask(id string, awards []relief.Earned, actors []ledger.DeviceID) {
	old := p.tasks[id]
	var oldAwards []relief.Earned
	var oldActors []ledger.DeviceID
	if old != nil {
		oldAwards, oldActors = old.awards, old.actors
	}
	p.set(relief.KindTask, id, oldAwards, awards)
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
	if awards == nil && actors == nil {
		delete(p.tasks, id)
		return
	}
	p.tasks[id] = &taskEntry{awards: awards, actors: actors}
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

// makeLeaderboard sorts every member's awards and ranks the members.
func (p *pointsTable) makeLeaderboard() relief.Leaderboard {
	var lb relief.Leaderboard
	lb.Standings = make([]relief.Standing, 0, len(p.members))
	for member, m := range p.members {
		n := 0
		for _, as := range m.awards {
			n += len(as)
		}
		h := make([]relief.Award, 0, n)
		for _, as := range m.awards {
			h = append(h, as...)
		}
		slices.SortFunc(h, compareAwards)
		lb.Standings = append(lb.Standings, relief.Standing{Member: member, Points: m.points, History: h})
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
