package importer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Gone is a demand imported before from a file of the same layout that the
// file imported now no longer has (a row the source deleted from its newer
// sheet: met, withdrawn, or lost by a copy): nothing is written for it, it
// is listed for a coordinator to check (原表中不再出现的行 / rows no longer
// in the file).
type Gone struct {
	ID    string `json:"id"`
	Code  string `json:"code"`  // relief.Code, to read aloud
	Title string `json:"title"` // the demand's title as it stands
	Org   string `json:"org,omitempty"`
	file  string // the file of this import of the demand's layout (the first planned)
}

// sourceShape is the part of an imported record's source that names its
// table's layout ("import:" + signature + ":"); "" for another source.
func sourceShape(source string) string {
	rest, ok := strings.CutPrefix(source, SourcePrefix)
	if !ok {
		return ""
	}
	i := strings.IndexByte(rest, ':')
	if i <= 0 {
		return ""
	}
	return source[:len(SourcePrefix)+i+1] // a part of source: no copy
}

// GoneRows lists the demands of present, open (not in a terminal status),
// that an earlier import wrote from a file of the layout of records
// (their sources' shape) and that records no longer hold, in present's
// order. A layout counts only when records re-find at least half of their
// rows among present (a newer sheet of the same source), so that another
// source's sheet of the same layout (two hospitals using one template)
// lists nothing of the other's.
func GoneRows(records []Record, present []relief.Demand) []Gone {
	var w goneWatch
	for _, r := range records {
		w.planned(r)
	}
	return w.among(present)
}

// goneWatch gathers what GoneRows needs of the records planned: their
// sources and how many of each layout.
type goneWatch struct {
	seen  map[string]bool
	rows  map[string]int    // shape → records of it
	files map[string]string // shape → the file of its first record
}

func (w *goneWatch) planned(r Record) {
	if r.Kind != relief.KindDemand {
		return
	}
	if w.seen == nil {
		w.seen, w.rows, w.files = map[string]bool{}, map[string]int{}, map[string]string{}
	}
	w.seen[r.Source], w.seen[r.LegacySource] = true, true
	for _, src := range r.plainSources {
		w.seen[src] = true
	}
	if s := sourceShape(r.Source); s != "" {
		w.rows[s]++
		if _, ok := w.files[s]; !ok {
			w.files[s] = r.File
		}
	}
}

// among is GoneRows of the records planned, in present.
func (w *goneWatch) among(present []relief.Demand) []Gone {
	if len(w.rows) == 0 {
		return nil
	}
	found := map[string]int{}
	var cands []int // indexes in present: a demand is a large value
	for i := range present {
		d := &present[i]
		s := sourceShape(d.Source)
		if w.rows[s] == 0 {
			continue
		}
		if w.seen[d.Source] {
			found[s]++
		} else if !d.Status.Terminal() {
			cands = append(cands, i)
		}
	}
	var out []Gone
	for _, i := range cands {
		d := &present[i]
		s := sourceShape(d.Source)
		if f := found[s]; f == 0 || 2*f < w.rows[s] {
			continue
		}
		out = append(out, Gone{ID: d.ID, Code: d.Code, Title: d.Title, Org: d.RequesterOrg, file: w.files[s]})
	}
	return out
}

// importedOpen keeps of present the demands an import wrote (their source
// says so), with only what GoneRows reads: a planner holds them, not the
// whole list.
func importedOpen(present []relief.Demand) []relief.Demand {
	var out []relief.Demand
	for i := range present {
		d := &present[i]
		if Imported(d.Source) {
			out = append(out, relief.Demand{ID: d.ID, Code: d.Code, Title: d.Title, RequesterOrg: d.RequesterOrg, Source: d.Source, Status: d.Status})
		}
	}
	return out
}

// GoneProblem is the line that tells gone (GoneRows), for the import's
// problems: ProblemRowsGone, Args count and codes (up to 10, joined by
// ", "; "…" when there are more). Row 0. ok is false when gone is empty.
func GoneProblem(file string, gone []Gone) (Problem, bool) {
	if len(gone) == 0 {
		return Problem{}, false
	}
	var codes []string
	for i, g := range gone {
		if i == 10 {
			codes = append(codes, "…")
			break
		}
		codes = append(codes, g.Code+" "+g.Title)
	}
	list := strings.Join(codes, ", ")
	return Problem{File: file, Code: ProblemRowsGone, Value: list,
		Msg: fmt.Sprintf("%s imported before from a file of this layout %s no longer in the file (%s): nothing is written for %s; check whether %s met and close %s if so",
			count(len(gone), "row", "rows"), pick(len(gone), "is", "are"), list, pick(len(gone), "it", "them"), pick(len(gone), "it is", "they are"), pick(len(gone), "it", "them")),
		Args: args("count", strconv.Itoa(len(gone)), "codes", list)}, true
}
