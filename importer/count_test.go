package importer

import (
	"regexp"
	"strings"
	"testing"
)

// onePlural finds a count of one followed by a plural noun or verb.
var onePlural = regexp.MustCompile(`(?:^|[^\d.,/])1 (?:rows|cells|bytes|times|columns|numbers|phone number\(s\)|phone numbers|are|were)`)

// TestEnglishCountOfOne: the English message of a problem counting one
// thing says it in the singular ("1 rows imported before … are no longer
// in the file": finding 4 of session 12).
func TestEnglishCountOfOne(t *testing.T) {
	gone, _ := GoneProblem("a.csv", []Gone{{Code: "D-AAAAAA", Title: "社区一"}})
	msgs := map[string]string{
		"rows_gone":       gone.Msg,
		"unmapped_column": unmappedMsg(UnmappedColumn{Column: "备注", Cells: 1, Samples: []string{"x"}}),
	}
	if !strings.HasPrefix(gone.Msg, "1 row imported before from a file of this layout is no longer in the file") {
		t.Errorf("rows_gone of one row: %q", gone.Msg)
	}
	p := &Planner{textPhones: map[string][]rowAt{"+8612345": {{file: "a.csv", row: 2}, {file: "a.csv", row: 3}}}, ownPhones: map[string]bool{}}
	if pr, ok, _ := p.sharedTextPhones(); ok {
		msgs["text_phone_shared"] = pr.Msg
	}
	for code, m := range msgs {
		if onePlural.MatchString(m) {
			t.Errorf("%s with a count of 1: %q", code, m)
		}
	}
	for n, want := range map[int]string{0: "0 rows", 1: "1 row", 2: "2 rows"} {
		if got := count(n, "row", "rows"); got != want {
			t.Errorf("count(%d) = %q; want %q", n, got, want)
		}
	}
}
