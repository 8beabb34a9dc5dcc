package relief

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Reply-by settings: fields of the network record (KindNetwork), each a whole
// number of minutes [int64], 1 ≤ minutes ≤ MaxWithinMinutes. See NetworkDeadlines.
const (
	FieldReviewWithin  = "review_within"  // network [int64 minutes]: Deadlines.Review
	FieldPublishWithin = "publish_within" // network [int64 minutes]: Deadlines.Publish
	FieldClaimWithin   = "claim_within"   // network [int64 minutes]: Deadlines.Claim
	FieldAnswerWithin  = "answer_within"  // network [int64 minutes]: Deadlines.Answer
)

// Reply-by settings of ownership and fresh demands, like the others.
const (
	FieldFollowUpWithin = "follow_up_within" // network [int64 minutes]: Deadlines.FollowUp
	FieldTransferWithin = "transfer_within"  // network [int64 minutes]: Deadlines.Transfer
	FieldRecheckWithin  = "recheck_within"   // network [int64 minutes]: Deadlines.Recheck
)

// MaxWithinMinutes is the longest reply-by window a network may set: 30 days.
const MaxWithinMinutes = 30 * 24 * 60

// What a pending entry waits for: stable codes the UI translates ("reply.<code>").
const (
	ReplyReview   = "review"   // a collected demand awaits approve, reject or mark_duplicate
	ReplyPublish  = "publish"  // an approved demand awaits publication
	ReplyClaim    = "claim"    // a published demand without owner awaits a claim
	ReplyAnswer   = "answer"   // a task offered to a volunteer awaits accept or decline
	ReplyOwned    = "owned"    // Inbox only: an open demand the member owns; no deadline
	ReplyComplete = "complete" // Inbox only: a task the member accepted; no deadline
	ReplyConflict = "conflict" // Inbox only: a step that did not apply, for its author and coordinators, until acknowledged; see DemandNotices
	ReplyDelivery = "delivery" // Inbox only: a pending delivery awaits the owner's (or a coordinator's) accept or decline; see DemandNotices
)

// What an owned or stale demand waits for (ownership.go).
const (
	ReplyFollowUp = "follow_up" // an open demand waits for its owner to act (To); overdue ones also go to coordinators
	ReplyTransfer = "transfer"  // a transfer request waits for the owner's answer (To); its requester (By) may take over once due
	ReplyRecheck  = "recheck"   // a published demand not confirmed for Deadlines.Recheck waits for a call-back by a reviewer or coordinator
)

// What the store's own checks raise: a duplicate flag, a revocation cut.
const (
	// ReplyDuplicate (the store's inbox only): an open demand probably
	// repeats an earlier one (see DuplicateFlaggable, EarlierDemand) and
	// awaits a reviewer's merge or keep-separate; Pending.Original names
	// the original's code. Due: creation + Deadlines.Review.
	ReplyDuplicate = "duplicate"
	// ReplyUndone (the store's inbox only, coordinators): a revoked
	// member's changes this device had applied and shown were undone by a
	// revocation cut (Pending.Count of them; Kind KindMember, ID the
	// member's id, Code their name); a coordinator may adopt any of them.
	// Due: the revocation + Deadlines.Review.
	ReplyUndone = "undone"
)

// Deadlines are the reply-by windows of request–reply: how long each step may
// wait for an answer. A zero field means the default. Coordinators change them
// for the whole network with SetDeadlines; every peer reads them back with
// NetworkDeadlines.
type Deadlines struct {
	Review  time.Duration // collected → reviewed (approve, reject, mark_duplicate), from creation; default 2 h
	Publish time.Duration // approved → published (or rejected), from approval; default 2 h
	Claim   time.Duration // published and unowned → claimed, from publication or the last release; default 6 h
	Answer  time.Duration // task offered → accepted or declined, from the offer; default 1 h (a task's own ReplyBy overrides it)

	FollowUp time.Duration // an owner's next action, from their last one (Demand.FollowUpSince); default 24 h
	Transfer time.Duration // a transfer request → answered, from the request (the request carries its own reply-by); default 12 h
	Recheck  time.Duration // published → confirmed again, from the last confirmation (Demand.Confirmed); default 48 h
}

// DefaultDeadlines returns the default windows: review 2 h, publish 2 h, claim
// 6 h, task answer 1 h, follow-up 24 h, transfer answer 12 h, re-check 48 h.
func DefaultDeadlines() Deadlines {
	return Deadlines{Review: 2 * time.Hour, Publish: 2 * time.Hour, Claim: 6 * time.Hour, Answer: time.Hour,
		FollowUp: 24 * time.Hour, Transfer: 12 * time.Hour, Recheck: 48 * time.Hour}
}

// withDefaults fills zero (or negative) windows with the defaults.
func (dl Deadlines) withDefaults() Deadlines {
	def := DefaultDeadlines()
	pick := func(v, d time.Duration) time.Duration {
		if v <= 0 {
			return d
		}
		return v
	}
	return Deadlines{
		Review: pick(dl.Review, def.Review), Publish: pick(dl.Publish, def.Publish),
		Claim: pick(dl.Claim, def.Claim), Answer: pick(dl.Answer, def.Answer),
		FollowUp: pick(dl.FollowUp, def.FollowUp), Transfer: pick(dl.Transfer, def.Transfer), Recheck: pick(dl.Recheck, def.Recheck),
	}
}

// deadlineFields maps the network fields to the Deadlines they set.
var deadlineFields = []struct {
	name string
	get  func(*Deadlines) *time.Duration
}{
	{FieldReviewWithin, func(d *Deadlines) *time.Duration { return &d.Review }},
	{FieldPublishWithin, func(d *Deadlines) *time.Duration { return &d.Publish }},
	{FieldClaimWithin, func(d *Deadlines) *time.Duration { return &d.Claim }},
	{FieldAnswerWithin, func(d *Deadlines) *time.Duration { return &d.Answer }},
	{FieldFollowUpWithin, func(d *Deadlines) *time.Duration { return &d.FollowUp }},
	{FieldTransferWithin, func(d *Deadlines) *time.Duration { return &d.Transfer }},
	{FieldRecheckWithin, func(d *Deadlines) *time.Duration { return &d.Recheck }},
}

// SetDeadlines returns the op by which a coordinator sets the network's reply-by
// windows: a "set" on the network record (kind KindNetwork, id the network id)
// writing each non-zero window of dl in whole minutes (rounded down). Windows
// must be between 1 minute and MaxWithinMinutes. A zero window is left as is.
func SetDeadlines(network string, dl Deadlines) (ledger.Op, error) {
	fields := make(map[string]any)
	for _, f := range deadlineFields {
		d := *f.get(&dl)
		if d == 0 {
			continue
		}
		m := int64(d / time.Minute)
		if m < 1 || m > MaxWithinMinutes {
			return ledger.Op{}, fmt.Errorf("set deadlines: %s %v: %w: want 1 min to %d min", f.name, d, ErrInvalidOp, MaxWithinMinutes)
		}
		fields[f.name] = m
	}
	if len(fields) == 0 {
		return ledger.Op{}, fmt.Errorf("set deadlines: %w: no window given", ErrInvalidOp)
	}
	return SetFields(KindNetwork, network, fields)
}

// NetworkDeadlines reads the reply-by windows from the network record rec (nil:
// none set). A window counts only if its winning write is by a member who is an
// active coordinator in roster now; otherwise, or if unset, the default applies.
// (Fields are last-writer-wins, so a later write by a non-coordinator hides a
// coordinator's value and the default comes back: the store should refuse such
// writes before they are stored.)
func NetworkDeadlines(rec *Record, roster *Roster) Deadlines {
	dl := DefaultDeadlines()
	if rec == nil || rec.Kind != KindNetwork {
		return dl
	}
	for _, f := range deadlineFields {
		field, ok := rec.Fields[f.name]
		if !ok {
			continue
		}
		author, err := roster.Admits(field.Meta.Device, field.Meta.Seq)
		if err != nil || author.Role != RoleCoordinator {
			continue
		}
		var m int64
		if rec.Value(f.name, &m) && m >= 1 && m <= MaxWithinMinutes {
			*f.get(&dl) = time.Duration(m) * time.Minute
		}
	}
	return dl
}

// minutes checks a reply-by window field.
func minutes(b []byte) error {
	var m int64
	if err := decMode.Unmarshal(b, &m); err != nil {
		return err
	}
	if m < 1 || m > MaxWithinMinutes {
		return fmt.Errorf("window of %d minutes; want 1 to %d", m, MaxWithinMinutes)
	}
	return nil
}

// waiting returns what the demand d waits for, since when, and the action that
// answers it; ok is false when d waits for nobody (owned, or closed).
func waiting(d Demand) (what string, since ledger.Stamp, answer Action, ok bool) {
	if d.Uncreated {
		return "", ledger.Stamp{}, "", false // nothing to act on until its creation is held
	}
	last := func(actions ...Action) (ledger.Stamp, bool) {
		for i := len(d.History) - 1; i >= 0; i-- {
			if slices.Contains(actions, d.History[i].Action) {
				return d.History[i].Meta.Stamp, true
			}
		}
		return ledger.Stamp{}, false
	}
	switch {
	case d.Status == StatusCollected:
		return ReplyReview, d.CreatedAt, ActionApprove, true
	case d.Status == StatusApproved:
		s, ok := last(ActionApprove)
		return ReplyPublish, s, ActionPublish, ok
	case (d.Status == StatusPublished || d.Status == StatusInProgress) && d.Owner.IsZero():
		s, ok := last(ActionPublish, ActionRelease)
		return ReplyClaim, s, ActionClaim, ok
	}
	return "", ledger.Stamp{}, "", false
}

func (dl Deadlines) window(what string) time.Duration {
	switch what {
	case ReplyReview:
		return dl.Review
	case ReplyPublish:
		return dl.Publish
	case ReplyClaim:
		return dl.Claim
	case ReplyFollowUp:
		return dl.FollowUp
	case ReplyTransfer:
		return dl.Transfer
	case ReplyRecheck:
		return dl.Recheck
	case ReplyDuplicate, ReplyUndone, ReplyFork:
		return dl.Review
	}
	return dl.Answer
}

// ReplyBy returns the reply-by time of the step the demand d waits for, and what
// that step is (ReplyReview, ReplyPublish or ReplyClaim): creation + Review for a
// collected demand, approval + Publish for an approved one, publication (or the
// last release) + Claim for a published or in-progress one without owner. Zero
// windows of dl take the defaults. ok is false when d waits for nobody: it has
// an owner or is closed.
func ReplyBy(d Demand, dl Deadlines) (due time.Time, what string, ok bool) {
	what, since, ok := Waiting(d)
	if !ok {
		return time.Time{}, "", false
	}
	return dl.Due(what, since), what, true
}

// Waiting returns what the demand d waits for (ReplyReview, ReplyPublish or
// ReplyClaim) and since when: the start of the window ReplyBy adds to. It
// reads d.History, so d must be folded with its history. ok is false when d
// waits for nobody. Indexes keep (what, since) so that ReplyBy under any
// Deadlines is Due(what, since) without the history.
func Waiting(d Demand) (what string, since time.Time, ok bool) {
	what, stamp, _, ok := waiting(d)
	if !ok {
		return "", time.Time{}, false
	}
	return what, stamp.Time(), true
}

// Due returns since plus the window of dl for what (ReplyReview, ReplyPublish,
// ReplyClaim; anything else takes Answer); zero windows take the defaults.
func (dl Deadlines) Due(what string, since time.Time) time.Time {
	return since.Add(dl.withDefaults().window(what))
}

// TaskReplyBy returns when the task t, offered and not yet answered, must be
// accepted or declined: its own ReplyBy if set, else its creation + dl.Answer.
// what is ReplyAnswer. ok is false once it is answered or if it is offered to
// nobody.
func TaskReplyBy(t Task, dl Deadlines) (due time.Time, what string, ok bool) {
	if t.Status != StatusOffered || t.OfferedTo.IsZero() {
		return time.Time{}, "", false
	}
	if !t.ReplyBy.IsZero() {
		return t.ReplyBy.UTC(), ReplyAnswer, true
	}
	return t.CreatedAt.Time().Add(dl.withDefaults().Answer), ReplyAnswer, true
}

// Pending is one request waiting for an answer, as Overdue and Inbox list them.
type Pending struct {
	Kind    string          `json:"kind"`    // KindDemand or KindTask
	ID      string          `json:"id"`      // the demand's or task's id
	Code    string          `json:"code"`    // its short code, e.g. "D-7KQ2MX"
	What    string          `json:"what"`    // ReplyReview, ReplyPublish, ReplyClaim, ReplyAnswer, ReplyComplete, ReplyFollowUp, ReplyTransfer or ReplyRecheck
	Status  Status          `json:"status"`  // the entity's status
	Since   time.Time       `json:"since"`   // UTC: when the wait began (creation, approval, publication, release, offer)
	Due     time.Time       `json:"due"`     // UTC reply-by (a transfer request: its own); zero for ReplyComplete
	Overdue bool            `json:"overdue"` // now is after Due
	Soon    bool            `json:"soon"`    // not overdue, with at most a quarter of the window left
	To      ledger.DeviceID `json:"to"`      // the one member it waits on (a task's volunteer, a demand's owner); zero when it waits on a role
	By      ledger.DeviceID `json:"by"`      // ReplyTransfer: the member who asked to take over; ReplyConflict of concurrent edits: the author whose value stands; zero otherwise
	Ref     string          `json:"ref"`     // ReplyConflict, ReplyDelivery, ReplyWithdrawn: the conflict's, delivery's or withdrawal's Ref (several per demand)
	Notice  *Notice         `json:"notice"`  // ReplyConflict, ReplyDelivery, ReplyWithdrawn: both sides and what resolves it; nil otherwise
	// Original is, for ReplyDuplicate, the code of the earlier demand this
	// one probably repeats; "" otherwise.
	Original string `json:"original,omitempty"`
	// Count is, for ReplyUndone, how many changes were undone; 0 otherwise.
	Count int `json:"count,omitempty"`
	// Seq is, for ReplyFork, the seq at which the member's feed forked; 0
	// otherwise.
	Seq uint64 `json:"seq,omitempty"`
}

func (p *Pending) flag(now time.Time) {
	if p.Due.IsZero() {
		return
	}
	p.Overdue = now.After(p.Due)
	p.Soon = !p.Overdue && p.Due.Sub(now) <= p.Due.Sub(p.Since)/4
}

// comparePending orders entries oldest first: by Due (entries without a due time
// last), then Since, Kind and ID.
func comparePending(a, b Pending) int {
	if a.Due.IsZero() != b.Due.IsZero() {
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	if c := a.Due.Compare(b.Due); c != 0 {
		return c
	}
	if c := a.Since.Compare(b.Since); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Kind, b.Kind); c != 0 {
		return c
	}
	if c := cmp.Compare(a.ID, b.ID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.What, b.What); c != 0 {
		return c
	}
	return cmp.Compare(a.Ref, b.Ref)
}

func demandPending(d Demand, dl Deadlines, now time.Time) (Pending, Action, bool) {
	what, since, answer, ok := waiting(d)
	if !ok {
		return Pending{}, "", false
	}
	p := Pending{Kind: KindDemand, ID: d.ID, Code: d.Code, What: what, Status: d.Status,
		Since: since.Time(), Due: since.Time().Add(dl.window(what))}
	p.flag(now)
	return p, answer, true
}

func taskPending(t Task, dl Deadlines, now time.Time) (Pending, bool) {
	due, what, ok := TaskReplyBy(t, dl)
	if !ok {
		return Pending{}, false
	}
	p := Pending{Kind: KindTask, ID: t.ID, Code: t.Code, What: what, Status: t.Status,
		Since: t.CreatedAt.Time(), Due: due, To: t.OfferedTo}
	p.flag(now)
	return p, true
}

// Overdue lists every demand step and task answer whose reply-by (see ReplyBy and
// TaskReplyBy, with dl), owner's follow-up or transfer answer (OwnerPending) or
// re-check (RecheckPending) is before now, oldest first (earliest due first;
// ties by Since, kind, id). Each stays listed until someone answers it.
func Overdue(demands []Demand, tasks []Task, dl Deadlines, now time.Time) []Pending {
	dl = dl.withDefaults()
	var out []Pending
	for _, d := range demands {
		if p, _, ok := demandPending(d, dl, now); ok && p.Overdue {
			out = append(out, p)
		} else if p, ok := OwnerPending(d, dl, now); ok && p.Overdue {
			out = append(out, p)
		}
		if p, ok := RecheckPending(d, dl, now); ok && p.Overdue {
			out = append(out, p)
		}
	}
	for _, t := range tasks {
		if p, ok := taskPending(t, dl, now); ok && p.Overdue {
			out = append(out, p)
		}
		if p, ok := CheckoutPending(t, now); ok && p.Overdue {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, comparePending)
	return out
}

// Inbox lists what waits on member me, by their current role in roster (a
// revoked member or a non-member gets nothing):
//
//   - demands waiting for a step me may take by Rules (see Allowed): review
//     (reviewers, coordinators), publish (reviewers, coordinators) and claim
//     (volunteers, reviewers, coordinators);
//   - tasks offered to me awaiting an answer (ReplyAnswer), and tasks me
//     accepted and has not completed (ReplyComplete, no deadline);
//   - open demands me owns: ReplyTransfer while a transfer request waits for
//     their answer, else ReplyFollowUp, due Deadlines.FollowUp after their
//     last action (OwnerPending);
//   - transfer requests me made (ReplyTransfer, By me), due at the request's
//     reply-by, after which me may take the demand over;
//   - for coordinators, overdue follow-ups of every owner;
//   - for reviewers and coordinators, overdue re-checks (RecheckPending).
//   - the notices of DemandNotices addressed to me, and for a coordinator
//     every notice meant for coordinators (ReplyConflict, ReplyDelivery,
//     ReplyWithdrawn; no deadline).
//   - check-outs (ReplyCheckout, CheckoutPending) of field tasks: me's own,
//     and once overdue those of tasks of demands me owns, or every one for
//     a coordinator.
//
// Entries carry their due time and Overdue/Soon flags at now, and are sorted
// oldest first; entries without a deadline come last.
func Inbox(me ledger.DeviceID, roster *Roster, demands []Demand, tasks []Task, dl Deadlines, now time.Time) []Pending {
	m, ok := roster.Member(me)
	if !ok || m.Revoked || !m.Role.Valid() {
		return nil
	}
	dl = dl.withDefaults()
	var out []Pending
	for _, d := range demands {
		if p, ok := RecheckPending(d, dl, now); ok && p.Overdue && slices.Contains(Allowed(d, m), ActionRecheck) {
			out = append(out, p)
		}
		if p, answer, ok := demandPending(d, dl, now); ok {
			if slices.Contains(Allowed(d, m), answer) {
				out = append(out, p)
			}
			continue
		}
		if p, ok := OwnerPending(d, dl, now); ok && (p.To == me || p.By == me ||
			(p.What == ReplyFollowUp && p.Overdue && m.Role == RoleCoordinator)) {
			out = append(out, p)
		}
	}
	for _, d := range demands {
		for _, p := range DemandNotices(d) {
			if p.To == me || p.By == me || (m.Role == RoleCoordinator && p.Notice.Coordinators) {
				out = append(out, p)
			}
		}
	}
	for _, t := range tasks {
		if t.OfferedTo != me {
			continue
		}
		if p, ok := taskPending(t, dl, now); ok {
			out = append(out, p)
		} else if t.Status == StatusAccepted {
			out = append(out, Pending{Kind: KindTask, ID: t.ID, Code: t.Code, What: ReplyComplete,
				Status: t.Status, Since: t.CreatedAt.Time(), To: me})
		}
	}
	out = append(out, checkoutsFor(m, demands, tasks, now)...)
	slices.SortFunc(out, comparePending)
	return out
}
