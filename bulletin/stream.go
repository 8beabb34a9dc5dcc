package bulletin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/relief"
)

// Chunked is a bulletin's demands handed out a chunk at a time, so that a
// bulletin of a million demands is written without holding them (a hub's
// export, desk.Desk.WriteBulletinStreamed): N demands in the bulletin's
// order, the latest of their updates, and Each, which calls its function
// with each chunk in turn and returns its first error.
type Chunked struct {
	N      int       // how many demands Each hands out
	Latest time.Time // the latest UpdatedAt of the demands (zero: none), for the text format's heading
	Each   func(fn func([]relief.Demand) error) error
}

// Streams reports whether WriteChunks writes the bulletin o asks for: a
// public one (no clearance to check before the first byte, no duplicate
// flags) in csv, hxl, json or text. XLSX is built whole in memory by its
// library, and team and restricted bulletins need every demand's clearance
// first: those are written by WriteWith.
func Streams(o Options) bool {
	return o.Level == relief.LevelPublic && slices.Contains([]string{"csv", "hxl", "json", "text"}, strings.ToLower(o.Format))
}

// WriteChunks writes the bulletin of c's demands to w as WriteWith writes
// them, byte for byte, one chunk at a time (Streams says which bulletins it
// writes; the others are an error, before anything is written). An error of
// c.Each or of w stops it part-way: w then holds part of a bulletin.
func WriteChunks(w io.Writer, c Chunked, o Options) error {
	if !Streams(o) {
		return fmt.Errorf("bulletin %s at level %s: written whole (WriteWith), not a chunk at a time", o.Format, o.Level)
	}
	format := strings.ToLower(o.Format)
	lang, lb, err := optionLabels(o)
	if err != nil {
		return err
	}
	as := relief.Member{} // public: projected for nobody
	switch format {
	case "csv", "hxl":
		hxl := format == "hxl"
		cw, err := csvHead(w, lb, o.Level, hxl)
		if err != nil {
			return err
		}
		err = c.Each(func(ds []relief.Demand) error {
			return csvRows(cw, ds, o.Level, as, nil, hxl, lb)
		})
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	case "json":
		// what json.Encoder with SetIndent("", "  ") writes of the whole
		// array, an element at a time
		if c.N == 0 {
			_, err := io.WriteString(w, "[]\n")
			return err
		}
		if _, err := io.WriteString(w, "["); err != nil {
			return err
		}
		first := true
		var buf bytes.Buffer
		err := c.Each(func(ds []relief.Demand) error {
			lines := linesOf(ds, o.Level, as, nil)
			jsonLabels(lines, lb)
			for _, l := range lines {
				b, err := json.Marshal(l)
				if err != nil {
					return err
				}
				buf.Reset()
				if !first {
					buf.WriteByte(',')
				}
				first = false
				buf.WriteString("\n  ")
				if err := json.Indent(&buf, b, "  ", "  "); err != nil {
					return err
				}
				if _, err := w.Write(buf.Bytes()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, "\n]\n")
		return err
	}
	latest := ""
	if !c.Latest.IsZero() {
		latest = c.Latest.UTC().Format(time.RFC3339)
	}
	tw, err := newTextWriter(w, lang, c.N, latest)
	if err != nil {
		return err
	}
	i := 0
	err = c.Each(func(ds []relief.Demand) error {
		for _, l := range linesOf(ds, o.Level, as, nil) {
			tw.paragraph(i, l)
			i++
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tw.bw.Flush()
}

// jsonLabels readies lines for the json format: Items never null, and the
// display labels in lb's language (Line.Labels, Item.UnitLabel).
func jsonLabels(lines []Line, lb Labels) {
	for i := range lines { // a list is [] in JSON, never null
		l := &lines[i]
		if l.Items == nil {
			l.Items = []Item{}
		}
		l.Labels = &LineLabels{Status: word(lb.Statuses, l.Status), Category: word(lb.Categories, l.Category), Urgency: word(lb.Urgencies, l.Urgency)}
		for j := range l.Items {
			if u := lb.unit(l.Items[j].Unit); u != l.Items[j].Unit {
				l.Items[j].UnitLabel = u
			}
		}
	}
}
