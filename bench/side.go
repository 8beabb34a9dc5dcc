package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// SideRound is one round of the side-by-side comparison at N records: our
// catch-up and each engine's sync, measured one right after the other so
// that they meet the same load on the machine.
type SideRound struct {
	N      int      `json:"n"`
	Round  int      `json:"round"` // 1, 2, …
	Ours   Sync     `json:"ours"`
	Theirs []Engine `json:"theirs"`
}

// RunSideBySide runs rounds rounds of the side-by-side comparison at each of
// cfg.SideN, with cfg.Engines, in one sitting: within a round ours and then
// each engine, so that each ratio ours/theirs compares runs made under the
// same load. The feed of each N is written once.
func RunSideBySide(ctx context.Context, cfg Config, rounds int) ([]SideRound, error) {
	logf := cfg.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if len(cfg.Engines) > 0 {
		if err := CheckJS(cfg.JSDir); err != nil {
			return nil, err
		}
	}
	work, err := os.MkdirTemp(cfg.WorkDir, "rmbench-side-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	cfg.WorkDir = work
	var out []SideRound
	for _, n := range cfg.SideN {
		feed, err := WriteFeed(filepath.Join(work, fmt.Sprintf("feed-%d.bin", n)), n, false)
		if err != nil {
			return out, err
		}
		for r := 1; r <= rounds; r++ {
			round := SideRound{N: n, Round: r}
			logf("side by side %d, round %d: ours", n, r)
			if round.Ours, err = measureCatchUp(ctx, cfg, feed); err != nil {
				return out, fmt.Errorf("catch-up %d: %w", n, err)
			}
			logf("  %.2f s", round.Ours.Seconds)
			for _, e := range cfg.Engines {
				logf("side by side %d, round %d: %s", n, r, e)
				res, err := runEngine(ctx, cfg, e, n)
				if err != nil {
					return out, fmt.Errorf("%s %d: %w", e, n, err)
				}
				logf("  %.2f s %s", res.Seconds, res.Note)
				round.Theirs = append(round.Theirs, res)
			}
			out = append(out, round)
		}
		os.Remove(feed.Path)
	}
	return out, nil
}

// spread renders the median of xs and its range, with format f.
func spread(xs []float64, f string) string {
	if len(xs) == 0 {
		return "—"
	}
	return fmt.Sprintf(f+" ("+f+"–"+f+")", median(xs), slices.Min(xs), slices.Max(xs))
}

// median returns the median of xs (the mean of the middle two when even).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// SideSummary renders rounds as a Markdown table: for each N and engine,
// the median time and its range over the rounds, and the median and range
// of the ratio ours/theirs taken round by round; then every round's
// figures.
func SideSummary(rounds []SideRound) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("| N | engine | rounds | converged | time, median (range) | ours/theirs time, median (range) | bytes | peak RSS |")
	p("|---|---|---|---|---|---|---|---|")
	var ns []int
	for _, r := range rounds {
		if !slices.Contains(ns, r.N) {
			ns = append(ns, r.N)
		}
	}
	for _, n := range ns {
		var ours []float64
		conv := 0
		var sample *Sync
		for _, r := range rounds {
			if r.N == n {
				ours = append(ours, r.Ours.Seconds)
				if r.Ours.Converged {
					conv++
				}
				sample = &r.Ours
			}
		}
		p("| %d | **ReliefMesh** | %d | %d of %d | %s s | 1 | %s | %s |", n, len(ours), conv, len(ours), spread(ours, "%.2f"), size(sample.WireBytes), mib(sample.PeakRSS))
		var lists []float64
		for _, r := range rounds {
			if r.N == n && r.Ours.ListSeconds > 0 {
				lists = append(lists, r.Ours.ListSeconds)
			}
		}
		if len(lists) > 0 { // a large catch-up's demand list, before its other views
			p("| %d | ReliefMesh, demand list whole | %d | — | %s s | — | — | — |", n, len(lists), spread(lists, "%.2f"))
		}
		var engines []string
		for _, r := range rounds {
			for _, e := range r.Theirs {
				if r.N == n && !slices.Contains(engines, e.Engine) {
					engines = append(engines, e.Engine)
				}
			}
		}
		for _, name := range engines {
			var times, ratios []float64
			conv := 0
			var last Engine
			for _, r := range rounds {
				for _, e := range r.Theirs {
					if r.N != n || e.Engine != name {
						continue
					}
					times = append(times, e.Seconds)
					if e.Converged {
						conv++
					}
					if e.Seconds > 0 {
						ratios = append(ratios, r.Ours.Seconds/e.Seconds)
					}
					last = e
				}
			}
			bs := "—"
			if last.Bytes > 0 {
				bs = size(last.Bytes)
			}
			p("| %d | %s | %d | %d of %d | %s s | %s | %s | %s |", n, name, len(times), conv, len(times), spread(times, "%.2f"), spread(ratios, "%.2f"), bs, mib(last.PeakRSS))
		}
	}
	p("")
	p("Each round (time of the sync in seconds; ours first):")
	p("")
	for _, r := range rounds {
		ours := fmt.Sprintf("ReliefMesh %.2f", r.Ours.Seconds)
		if r.Ours.ListSeconds > 0 {
			ours += fmt.Sprintf(" (demand list whole at %.2f)", r.Ours.ListSeconds)
		}
		parts := []string{ours}
		for _, e := range r.Theirs {
			s := fmt.Sprintf("%s %.2f", e.Engine, e.Seconds)
			if !e.Converged {
				s += " (did not converge)"
			}
			parts = append(parts, s)
		}
		p("- N %d, round %d: %s", r.N, r.Round, strings.Join(parts, ", "))
	}
	return b.String()
}
