package app

import (
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestUndoneViewSaysFork: changes a fork undid are said as a fork, dated by
// it, not as "no longer in the roster" (a tester's banner said so of a member
// who was still a volunteer).
func TestUndoneViewSaysFork(t *testing.T) {
	var d, by ledger.DeviceID
	d[0], by[0] = 1, 2
	at := time.Date(2026, 12, 6, 23, 0, 0, 0, time.UTC)
	v := undoneView(store.Undone{Device: d, Name: "乙", Seqs: []uint64{3}, Fork: true, At: at})
	if !v.Fork || v.ForkAt != at.UnixMilli() || v.RevokedBy.ID != "" || v.RevokedAt != 0 || v.Count != 1 {
		t.Errorf("fork: %+v", v)
	}
	v = undoneView(store.Undone{Device: d, Name: "乙", Seqs: []uint64{3, 4}, By: by, ByName: "甲", At: at})
	if v.Fork || v.RevokedBy.Name != "甲" || v.RevokedAt != at.UnixMilli() || v.Count != 2 {
		t.Errorf("revocation: %+v", v)
	}
}
