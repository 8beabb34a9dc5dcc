package relief

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Review with evidence: an approval says how the demand was verified. The
// approve step carries an Evidence (Args.Evidence); an approval without one
// needs a written reason (Args.Note), else the fold keeps it as a conflict
// with ReasonNoEvidence and the demand stays collected. The bulletin shows,
// per demand, how and when it was verified (Demand.Verified), never who.

// EvidenceKind says how a demand was verified before its approval.
type EvidenceKind string

// Kinds of evidence, in the order a form offers them.
const (
	EvidenceCallback EvidenceKind = "callback" // a call-back to the requester: Caller, At, Outcome
	EvidenceNotice   EvidenceKind = "notice"   // an official notice: Link (a URL or a picture's reference)
	EvidenceVisit    EvidenceKind = "visit"    // an on-site visit: At, Outcome
	EvidencePartner  EvidenceKind = "partner"  // a partner organisation confirmed it: Partner (a partner record id)
)

// EvidenceKinds lists the kinds of evidence, in the order a form offers them.
var EvidenceKinds = []EvidenceKind{EvidenceCallback, EvidenceNotice, EvidenceVisit, EvidencePartner}

// Valid reports whether k is one of EvidenceKinds.
func (k EvidenceKind) Valid() bool { return slices.Contains(EvidenceKinds, k) }

// Limits of an Evidence, in characters.
const (
	MaxEvidenceText = 500  // Caller, Outcome
	MaxEvidenceLink = 2000 // Link
)

// Evidence is how a demand was verified, carried by its approve step
// (Args.Evidence). Names (Caller, Partner) are team information; the
// bulletin shows only Kind and the time (see Verification).
type Evidence struct {
	Kind    EvidenceKind `cbor:"1,keyasint" json:"kind"`
	Caller  string       `cbor:"2,keyasint,omitempty" json:"caller"`  // callback: who called (a name as written); "" the approver
	At      int64        `cbor:"3,keyasint,omitempty" json:"at"`      // callback, visit: when, Unix milliseconds; required for both
	Outcome string       `cbor:"4,keyasint,omitempty" json:"outcome"` // callback, visit: what was found, as written
	Link    string       `cbor:"5,keyasint,omitempty" json:"link"`    // notice: a URL or a picture's reference; required
	Partner string       `cbor:"6,keyasint,omitempty" json:"partner"` // partner: the confirming partner's record id (KindPartner); required
}

// Time returns e.At as a UTC time; zero when unset.
func (e Evidence) Time() time.Time {
	if e.At == 0 {
		return time.Time{}
	}
	return time.UnixMilli(e.At).UTC()
}

// Check reports what is missing or malformed in e (an error naming the
// field), nil when e is complete for its kind.
func (e Evidence) Check() error {
	if !e.Kind.Valid() {
		return fmt.Errorf("evidence kind %q: want one of %v", e.Kind, EvidenceKinds)
	}
	for name, s := range map[string]string{"caller": e.Caller, "outcome": e.Outcome} {
		if !utf8.ValidString(s) || TooLong(s, MaxEvidenceText) {
			return fmt.Errorf("evidence %s longer than %d characters or not UTF-8", name, MaxEvidenceText)
		}
	}
	if !utf8.ValidString(e.Link) || TooLong(e.Link, MaxEvidenceLink) {
		return fmt.Errorf("evidence link longer than %d characters or not UTF-8", MaxEvidenceLink)
	}
	if !utf8.ValidString(e.Partner) || len(e.Partner) > MaxIDLen {
		return errors.New("evidence partner: not an id")
	}
	if e.At < 0 {
		return errors.New("evidence at: negative time")
	}
	switch e.Kind {
	case EvidenceCallback, EvidenceVisit:
		if e.At == 0 {
			return fmt.Errorf("evidence %s needs its time (at)", e.Kind)
		}
	case EvidenceNotice:
		if strings.TrimSpace(e.Link) == "" {
			return errors.New("evidence notice needs a link or a picture's reference")
		}
	case EvidencePartner:
		if strings.TrimSpace(e.Partner) == "" {
			return errors.New("evidence partner needs the partner")
		}
	}
	return nil
}

// ReasonNoEvidence: an approval carried neither evidence nor a written
// reason (Args.Note); it did not apply.
const ReasonNoEvidence Reason = "no_evidence"

// checkEvidenceArgs checks Args.Evidence: only an approve carries one, and it
// must be complete (Evidence.Check).
func checkEvidenceArgs(a Action, x Args) error {
	if x.Evidence == nil {
		return nil
	}
	if a != ActionApprove {
		return fmt.Errorf("%s carries no evidence; only approve does", a)
	}
	return x.Evidence.Check()
}

// ApproveNeeds reports why an approve with args would not apply for want of
// evidence: ReasonNoEvidence when it carries neither an Evidence nor a
// non-blank Note (the written reason), "" otherwise. Desks check it up front,
// FoldDemand when it folds.
func ApproveNeeds(args Args) Reason {
	if args.Evidence == nil && strings.TrimSpace(args.Note) == "" {
		return ReasonNoEvidence
	}
	return ""
}

// evidenceReason is the fold's check of ApproveNeeds on an approve step.
func evidenceReason(s *Step) Reason {
	if s.Action != ActionApprove {
		return ""
	}
	return ApproveNeeds(s.Args)
}

// Verification says how and when a demand was verified: public, no names.
type Verification struct {
	// How is the kind of evidence of the approval that applied; "" when it
	// was approved with a written reason and no evidence.
	How EvidenceKind `json:"how"`
	// Checked is when the evidence was gathered (a call-back's or visit's
	// time), UTC; zero when the evidence has no time (a notice, a partner's
	// confirmation) or there is none.
	Checked time.Time `json:"checked"`
	// Approved is the stamp of the approval.
	Approved ledger.Stamp `json:"approved"`
}

// verification derives the Verification of a demand from its applied
// history: that of its last approve step; nil if it was never approved.
func verification(history []Step) *Verification {
	for i := len(history) - 1; i >= 0; i-- {
		s := history[i]
		if s.Action != ActionApprove {
			continue
		}
		v := &Verification{Approved: s.Meta.Stamp}
		if e := s.Args.Evidence; e != nil {
			v.How, v.Checked = e.Kind, e.Time()
		}
		return v
	}
	return nil
}
