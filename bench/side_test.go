package bench

import (
	"strings"
	"testing"
)

func TestSideSummary(t *testing.T) {
	rounds := []SideRound{
		{N: 100, Round: 1, Ours: Sync{Seconds: 2, ListSeconds: 1.5, Converged: true}, Theirs: []Engine{{Engine: "yjs", N: 100, Seconds: 4, Converged: true}}},
		{N: 100, Round: 2, Ours: Sync{Seconds: 3, Converged: true}, Theirs: []Engine{{Engine: "yjs", N: 100, Seconds: 2, Converged: true}}},
		{N: 100, Round: 3, Ours: Sync{Seconds: 1, Converged: true}, Theirs: []Engine{{Engine: "yjs", N: 100, Seconds: 1, Converged: false}}},
	}
	got := SideSummary(rounds)
	for _, want := range []string{
		"| 100 | **ReliefMesh** | 3 | 3 of 3 | 2.00 (1.00–3.00) s |",
		"| 100 | yjs | 3 | 2 of 3 | 2.00 (1.00–4.00) s | 1.00 (0.50–1.50) |",
		"- N 100, round 3: ReliefMesh 1.00, yjs 1.00 (did not converge)",
		"| 100 | ReliefMesh, demand list whole | 1 | — | 1.50 (1.50–1.50) s |",
		"- N 100, round 1: ReliefMesh 2.00 (demand list whole at 1.50), yjs 4.00",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("SideSummary = \n%s\nwant a line with %q", got, want)
		}
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median(4 1 3 2) = %v; want 2.5", m)
	}
}
