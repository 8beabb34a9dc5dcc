package relief

import (
	"errors"
	"testing"
	"time"
)

func TestApproveNeedsEvidenceOrReason(t *testing.T) {
	call := &Evidence{Kind: EvidenceCallback, Caller: "王", At: time.Date(2020, 1, 26, 8, 0, 0, 0, time.UTC).UnixMilli(), Outcome: "still needed"}
	tests := []struct {
		name    string
		args    Args
		want    Status
		how     EvidenceKind
		checked time.Time
	}{
		{"no evidence, no reason", Args{}, StatusCollected, "", time.Time{}},
		{"blank reason", Args{Note: "  "}, StatusCollected, "", time.Time{}},
		{"written reason", Args{Note: "known hospital"}, StatusApproved, "", time.Time{}},
		{"call-back", Args{Evidence: call}, StatusApproved, EvidenceCallback, call.Time()},
		{"notice", Args{Evidence: &Evidence{Kind: EvidenceNotice, Link: "https://example.org/notice"}}, StatusApproved, EvidenceNotice, time.Time{}},
		{"partner", Args{Evidence: &Evidence{Kind: EvidencePartner, Partner: "p1"}}, StatusApproved, EvidencePartner, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := seeded(t)
			toStatus(t, w, "d", StatusCollected)
			w.do(rev, 20, must(Transition(KindDemand, "d", ActionApprove, tt.args)))
			d := w.demand("d")
			if d.Status != tt.want {
				t.Fatalf("FoldDemand(approve %+v).Status = %s; want %s", tt.args, d.Status, tt.want)
			}
			if tt.want == StatusCollected {
				if len(d.Conflicts) != 1 || d.Conflicts[0].Reason != ReasonNoEvidence {
					t.Errorf("FoldDemand(approve %+v).Conflicts = %v; want one %s", tt.args, d.Conflicts, ReasonNoEvidence)
				}
				if d.Verified != nil {
					t.Errorf("FoldDemand(approve %+v).Verified = %+v; want nil", tt.args, d.Verified)
				}
				if ApproveNeeds(tt.args) != ReasonNoEvidence {
					t.Errorf("ApproveNeeds(%+v) = %q; want %s", tt.args, ApproveNeeds(tt.args), ReasonNoEvidence)
				}
				return
			}
			if d.Verified == nil || d.Verified.How != tt.how || !d.Verified.Checked.Equal(tt.checked) || d.Verified.Approved.Wall != 20 {
				t.Errorf("FoldDemand(approve %+v).Verified = %+v; want how %q checked %v approved at 20", tt.args, d.Verified, tt.how, tt.checked)
			}
			// The public projection says how and when, never who.
			p, _ := Project(d, Member{})
			if p.Verified == nil || p.Verified.How != tt.how {
				t.Errorf("Project(public).Verified = %+v; want how %q", p.Verified, tt.how)
			}
			if len(p.History) != 0 {
				t.Errorf("Project(public).History = %v; want hidden (it names the caller)", p.History)
			}
		})
	}
}

func TestEvidenceCheck(t *testing.T) {
	tests := []struct {
		name string
		e    Evidence
		ok   bool
	}{
		{"call-back without time", Evidence{Kind: EvidenceCallback, Caller: "王"}, false},
		{"call-back", Evidence{Kind: EvidenceCallback, At: 1}, true},
		{"visit without time", Evidence{Kind: EvidenceVisit}, false},
		{"notice without link", Evidence{Kind: EvidenceNotice}, false},
		{"partner without partner", Evidence{Kind: EvidencePartner}, false},
		{"unknown kind", Evidence{Kind: "rumour", At: 1}, false},
		{"negative time", Evidence{Kind: EvidenceVisit, At: -5}, false},
	}
	for _, tt := range tests {
		err := tt.e.Check()
		if (err == nil) != tt.ok {
			t.Errorf("Evidence%+v.Check() = %v; want ok %v", tt.e, err, tt.ok)
		}
		_, err = Transition(KindDemand, "d", ActionApprove, Args{Evidence: &tt.e})
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidOp)) {
			t.Errorf("Transition(approve, %s) = %v; want ok %v", tt.name, err, tt.ok)
		}
	}
	// Evidence belongs to an approval only.
	if _, err := Transition(KindDemand, "d", ActionPublish, Args{Evidence: &Evidence{Kind: EvidenceCallback, At: 1}}); !errors.Is(err, ErrInvalidOp) {
		t.Errorf("Transition(publish with evidence) = %v; want ErrInvalidOp", err)
	}
}

// TestVerificationIsTheLastApproval: a reopened-and-approved-again history
// cannot happen (approve is from collected only), so the last approve that
// applied is the only one; a refused approve after it changes nothing.
func TestVerificationIgnoresRefusedApprovals(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusCollected)
	w.do(rev, 20, must(Transition(KindDemand, "d", ActionApprove, Args{Evidence: &Evidence{Kind: EvidenceVisit, At: 7}})))
	w.do(rev2, 21, must(Transition(KindDemand, "d", ActionApprove, Args{Evidence: &Evidence{Kind: EvidenceNotice, Link: "x"}})))
	d := w.demand("d")
	if d.Verified == nil || d.Verified.How != EvidenceVisit {
		t.Errorf("Verified = %+v; want the applied approval's visit", d.Verified)
	}
}
