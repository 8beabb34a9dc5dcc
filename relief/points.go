package relief

import (
	"cmp"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// PointRule names one rule of the points table; the UI translates it
// ("points.<rule>").
type PointRule string

// The points table. Points are derived from the steps that applied (a view's
// History), never stored, so every peer holding the same changes computes the
// same leaderboard.
//
//	rule              points  to                 when
//	demand_recorded     +1    the demand's creator  the demand passed review (an approve applied)
//	review              +2    the reviewer          approve, reject or mark_duplicate applied
//	publish             +1    the publisher         publish applied
//	on_time             +1    the one who answered  the answer came by its reply-by (see below)
//	task_accepted       +1    the volunteer         accept applied
//	task_done           +5    the task's volunteer  complete applied (by them or a coordinator)
//	demand_fulfilled   +10    the owner             fulfil applied, and the demand was not reopened since
//
// A reopen takes back the points of the fulfil it undoes; fulfilling the
// reopened demand again earns them again (once per demand, to the last one who
// fulfilled it).
// on_time rewards answering a request within its window (Deadlines, zero
// fields taking the defaults): a review of a collected demand within Review of
// its creation; a publish, reject or mark_duplicate of an approved demand within
// Publish of its approval; a claim of a published, unowned demand within Claim
// of its publication or last release (at most once per member and demand, so
// claim–release cycles earn nothing); a task's accept or decline within its
// ReplyBy, or Answer of its offer. A step exactly at the deadline is on time.
// Deadlines are today's settings, so changing them re-scores past answers (on
// every peer alike).
const (
	RuleDemandRecorded  PointRule = "demand_recorded"
	RuleReview          PointRule = "review"
	RulePublish         PointRule = "publish"
	RuleOnTime          PointRule = "on_time"
	RuleTaskAccepted    PointRule = "task_accepted"
	RuleTaskDone        PointRule = "task_done"
	RuleDemandFulfilled PointRule = "demand_fulfilled"
)

// Points returns the points rule r gives (0 for an unknown rule).
func (r PointRule) Points() int {
	switch r {
	case RuleDemandRecorded, RulePublish, RuleOnTime, RuleTaskAccepted:
		return 1
	case RuleReview:
		return 2
	case RuleTaskDone:
		return 5
	case RuleDemandFulfilled:
		return 10
	}
	return 0
}

// Award is one entry of a member's points history.
type Award struct {
	Rule   PointRule    `json:"rule"`
	Kind   string       `json:"kind"`   // KindDemand or KindTask
	Entity string       `json:"entity"` // the demand's or task's id
	At     ledger.Stamp `json:"at"`     // the stamp of the step that earned it (the demand's creation for demand_recorded)
	Points int          `json:"points"`
}

// Standing is one member's line of the leaderboard.
type Standing struct {
	Member  ledger.DeviceID `json:"member"`
	Points  int             `json:"points"`  // sum of History
	Rank    int             `json:"rank"`    // 1 for the most points; equal points share a rank (1, 2, 2, 4)
	History []Award         `json:"history"` // oldest first: by At, then kind, entity, rule
}

// Leaderboard is the points of every member who earned any, most points first
// (ties by member key).
type Leaderboard struct {
	Standings []Standing `json:"standings"`
}

// Of returns the standing of member, if they earned any points.
func (l Leaderboard) Of(member ledger.DeviceID) (Standing, bool) {
	for _, s := range l.Standings {
		if s.Member == member {
			return s, true
		}
	}
	return Standing{}, false
}

// Points computes the leaderboard from the folded demands and tasks by the rules
// of the points table (see PointRule), with the reply-by windows dl. The result
// depends only on the set of views given, not on their order; a view given
// twice (same kind and id) counts once. It is Rank of the awards DemandAwards
// and TaskAwards give each view.
func Points(demands []Demand, tasks []Task, dl Deadlines) Leaderboard {
	per := make(map[ledger.DeviceID][]Award)
	add := func(es []Earned) {
		for _, e := range es {
			per[e.Member] = append(per[e.Member], e.Award)
		}
	}
	for _, d := range unique(demands, func(d Demand) (string, int, ledger.Stamp) { return d.ID, len(d.History), d.UpdatedAt }) {
		add(DemandAwards(d, dl))
	}
	for _, t := range unique(tasks, func(t Task) (string, int, ledger.Stamp) { return t.ID, len(t.History), t.UpdatedAt }) {
		add(TaskAwards(t, dl))
	}
	return Rank(per)
}

// Earned is one award and the member who earned it.
type Earned struct {
	Member ledger.DeviceID
	Award  Award
}

// DemandAwards returns the awards the applied steps of the demand d (folded
// with its History) earn under the reply-by windows dl (zero fields take the
// defaults), in the order the replay gives them. Points is the sum over every
// demand and task, so an index may keep each entity's awards and update a
// member's total by difference when the entity changes.
func DemandAwards(d Demand, dl Deadlines) []Earned {
	var out []Earned
	demandPoints(d, dl.withDefaults(), func(to ledger.DeviceID, rule PointRule, kind, id string, at ledger.Stamp) {
		if !to.IsZero() {
			out = append(out, Earned{Member: to, Award: Award{Rule: rule, Kind: kind, Entity: id, At: at, Points: rule.Points()}})
		}
	})
	return out
}

// TaskAwards is DemandAwards for a task t.
func TaskAwards(t Task, dl Deadlines) []Earned {
	var out []Earned
	taskPoints(t, dl.withDefaults(), func(to ledger.DeviceID, rule PointRule, kind, id string, at ledger.Stamp) {
		if !to.IsZero() {
			out = append(out, Earned{Member: to, Award: Award{Rule: rule, Kind: kind, Entity: id, At: at, Points: rule.Points()}})
		}
	})
	return out
}

// Rank makes the leaderboard of the awards of each member (members with no
// award are left out): it sorts each member's awards in place (oldest first,
// as Standing.History) and ranks the members, most points first.
func Rank(per map[ledger.DeviceID][]Award) Leaderboard {
	var lb Leaderboard
	for member, awards := range per {
		if len(awards) == 0 {
			continue
		}
		slices.SortFunc(awards, compareAward)
		s := Standing{Member: member, History: awards}
		for _, a := range awards {
			s.Points += a.Points
		}
		lb.Standings = append(lb.Standings, s)
	}
	RankStandings(lb.Standings)
	return lb
}

// RankStandings sorts standings (each with its Points set) most points first,
// ties by member key, and sets their Rank: equal points share a rank (1, 2, 2, 4).
func RankStandings(standings []Standing) {
	slices.SortFunc(standings, func(a, b Standing) int {
		if c := cmp.Compare(b.Points, a.Points); c != 0 {
			return c
		}
		return a.Member.Compare(b.Member)
	})
	for i := range standings {
		if i > 0 && standings[i].Points == standings[i-1].Points {
			standings[i].Rank = standings[i-1].Rank
		} else {
			standings[i].Rank = i + 1
		}
	}
}

func compareAward(a, b Award) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Entity, b.Entity); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return cmp.Compare(a.Points, b.Points)
}

// unique returns vs without repeated ids. Of views sharing an id it keeps the
// most advanced one (the longest history, then the latest update), so the choice
// does not depend on their order.
func unique[T any](vs []T, key func(T) (id string, steps int, updated ledger.Stamp)) []T {
	type keyed struct {
		v     T
		id    string
		steps int
		upd   ledger.Stamp
	}
	ks := make([]keyed, len(vs))
	for i, v := range vs {
		ks[i].v = v
		ks[i].id, ks[i].steps, ks[i].upd = key(v)
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := cmp.Compare(a.id, b.id); c != 0 {
			return c
		}
		if c := cmp.Compare(b.steps, a.steps); c != 0 {
			return c
		}
		return b.upd.Compare(a.upd)
	})
	out := make([]T, 0, len(ks))
	for i, k := range ks {
		if i == 0 || k.id != ks[i-1].id {
			out = append(out, k.v)
		}
	}
	return out
}

// within reports whether at is no later than since + d.
func within(at, since ledger.Stamp, d time.Duration) bool {
	return at.Wall <= since.Wall+d.Milliseconds()
}

// demandPoints replays the applied steps of d and gives the awards they earn.
func demandPoints(d Demand, dl Deadlines, give func(ledger.DeviceID, PointRule, string, string, ledger.Stamp)) {
	status, owner := StatusCollected, ledger.DeviceID{}
	before := StatusCollected // the status a withdraw left: its reopen goes back to it
	waitSince := d.CreatedAt  // when the current wait began
	approved := false
	claimedOnTime := make(map[ledger.DeviceID]bool)
	var fulfil *Step // the fulfil that stands (not undone by a reopen)
	award := func(to ledger.DeviceID, rule PointRule, at ledger.Stamp) { give(to, rule, KindDemand, d.ID, at) }
	for i, s := range d.History {
		by, at := s.Meta.Device, s.Meta.Stamp
		switch s.Action {
		case ActionApprove, ActionReject, ActionMarkDuplicate:
			award(by, RuleReview, at)
			switch status {
			case StatusCollected:
				if within(at, waitSince, dl.Review) {
					award(by, RuleOnTime, at)
				}
			case StatusApproved:
				if within(at, waitSince, dl.Publish) {
					award(by, RuleOnTime, at)
				}
			}
			if s.Action == ActionApprove {
				approved = true
			}
		case ActionPublish:
			award(by, RulePublish, at)
			if status == StatusApproved && within(at, waitSince, dl.Publish) {
				award(by, RuleOnTime, at)
			}
		case ActionClaim:
			if owner.IsZero() && !claimedOnTime[by] && within(at, waitSince, dl.Claim) {
				claimedOnTime[by] = true
				award(by, RuleOnTime, at)
			}
		case ActionFulfil:
			fulfil = &d.History[i]
		case ActionReopen:
			fulfil = nil
		}
		// Advance the replay as the fold did (the step applied).
		switch {
		case s.Action == ActionWithdraw:
			before = status
		case s.Action == ActionReopen && status == StatusWithdrawn:
			status = before // the withdrawal undone
			continue
		}
		if r, ok := ruleFor(Rules, s.Action); ok && r.To != "" && r.To != status {
			if r.To == StatusApproved || r.To == StatusPublished {
				waitSince = at
			}
			status = r.To
		}
		switch s.Action {
		case ActionClaim:
			owner = by
		case ActionHandover:
			owner = s.Args.To
		case ActionRelease:
			owner, waitSince = ledger.DeviceID{}, at
		}
	}
	if fulfil != nil {
		award(fulfil.Meta.Device, RuleDemandFulfilled, fulfil.Meta.Stamp)
	}
	if approved {
		award(d.CreatedBy, RuleDemandRecorded, d.CreatedAt)
	}
}

// taskPoints replays the applied steps of t and gives the awards they earn.
func taskPoints(t Task, dl Deadlines, give func(ledger.DeviceID, PointRule, string, string, ledger.Stamp)) {
	due := t.CreatedAt.Wall + dl.Answer.Milliseconds()
	if !t.ReplyBy.IsZero() {
		due = t.ReplyBy.UnixMilli()
	}
	award := func(to ledger.DeviceID, rule PointRule, at ledger.Stamp) { give(to, rule, KindTask, t.ID, at) }
	status := StatusOffered
	for _, s := range t.History {
		by, at := s.Meta.Device, s.Meta.Stamp
		switch s.Action {
		case ActionAccept, ActionDecline:
			if s.Action == ActionAccept {
				award(by, RuleTaskAccepted, at)
			}
			if status == StatusOffered && at.Wall <= due {
				award(by, RuleOnTime, at)
			}
		case ActionComplete:
			award(t.OfferedTo, RuleTaskDone, at)
		}
		if r, ok := ruleFor(TaskRules, s.Action); ok && r.To != "" {
			status = r.To
		}
	}
}
