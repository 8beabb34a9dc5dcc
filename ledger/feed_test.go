package ledger

import (
	"slices"
	"testing"
)

func TestClassify(t *testing.T) {
	feed := testFeed(t, testKey(1), 4, 200)
	fork := testFeed(t, testKey(1), 4, 250) // same device and seqs, other content
	held := feed[:3]
	head := HeadOf(held[2])
	known := func(seq uint64) (Hash, bool) {
		if seq == 0 || seq > uint64(len(held)) {
			t.Fatalf("known(%d) called; want 1..%d", seq, len(held))
		}
		return held[seq-1].ID(), true
	}
	forgot := func(uint64) (Hash, bool) { return Hash{}, false }
	zeroSeq := *feed[0]
	zeroSeq.Seq = 0
	badPrev := *feed[3]
	badPrev.Prev = feed[1].ID()

	for _, tc := range []struct {
		name  string
		head  Head
		c     *Change
		known func(uint64) (Hash, bool)
		want  Verdict
	}{
		{"first of empty feed", Head{}, feed[0], forgot, Next},
		{"next", head, feed[3], known, Next},
		{"duplicate of head", head, feed[2], known, Duplicate},
		{"duplicate of first", head, feed[0], known, Duplicate},
		{"fork at head", head, fork[2], known, Fork},
		{"fork below head", head, fork[1], known, Fork},
		{"fork at first", head, fork[0], known, Fork},
		{"fork after head", head, fork[3], known, Fork},
		{"next with wrong prev", head, &badPrev, known, Fork},
		{"second of empty feed", Head{}, feed[1], forgot, Gap},
		{"gap", HeadOf(feed[0]), feed[3], known, Gap},
		{"held seq unknown", head, feed[1], forgot, Unknown},
		{"seq 0", head, &zeroSeq, known, Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.head, tc.c, tc.known); got != tc.want {
				t.Errorf("Classify(%v, seq %d) = %v; want %v", tc.head, tc.c.Seq, got, tc.want)
			}
		})
	}
}

func TestVerdictString(t *testing.T) {
	got := []string{}
	for v := range Gap + 2 {
		got = append(got, v.String())
	}
	want := []string{"unknown", "next", "duplicate", "fork", "gap", "verdict(5)"}
	if !slices.Equal(got, want) {
		t.Errorf("Verdict.String() = %v; want %v", got, want)
	}
}
