package main

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fillOnes returns the arguments of format f with every integer 1, every
// error and string "x", every float 1.5: what a count of one prints.
func fillOnes(f string) []any {
	verb := regexp.MustCompile(`%(?:\[(\d+)\])?[-+# 0-9.]*([a-zA-Z%])`)
	var args []any
	next := 0
	for _, m := range verb.FindAllStringSubmatch(f, -1) {
		if m[2] == "%" {
			continue
		}
		i := next
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			i = n - 1
		}
		next = i + 1
		for len(args) <= i {
			args = append(args, "x")
		}
		switch m[2] {
		case "d":
			args[i] = 1
		case "f", "g":
			args[i] = 1.5
		case "w":
			args[i] = errors.New("x")
		}
	}
	return args
}

// onePlural finds a count of one followed by a plural: "1 rows", "1 more
// changes", "1 were".
var onePlural = regexp.MustCompile(`(?:^|[^\d.,/])1 (?:[a-z]+ ){0,2}?(?:[a-z]+[^s'u]s|were|are|have)\b`)

// notPlural are words ending in s that are no plural.
var notPlural = []string{"was", "waits", "is", "has", "its", "this", "minus", "status", "address", "process", "access", "bus", "yes", "us", "as"}

// TestHubEnglishCountOfOne: every English sentence of the hub said with a
// count of 1 says "1 record", not "1 records" ("1 rows imported before …":
// finding 4 of session 12).
func TestHubEnglishCountOfOne(t *testing.T) {
	sp := speakerOf(langEN)
	keys := make([]string, 0, len(hubWords[langEN]))
	for k := range hubWords[langEN] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		args := fillOnes(hubWords[langEN][key])
		for _, s := range []string{sp.t(key, args...), sp.errorf(key, args...).Error()} {
			for _, m := range onePlural.FindAllString(s, -1) {
				w := m[strings.LastIndex(m, " ")+1:]
				if !slices.Contains(notPlural, w) {
					t.Errorf("%s with a count of 1: %q in %q", key, strings.TrimSpace(m), s)
				}
			}
			if strings.ContainsAny(s, "{|}") && regexp.MustCompile(`\{[^{}|]*\|[^{}|]*\}`).MatchString(s) {
				t.Errorf("%s: plural forms left unresolved in %q", key, s)
			}
		}
	}
}

// TestPluralForms: {one|other} after a count takes the form of the count.
func TestPluralForms(t *testing.T) {
	for in, want := range map[string]string{
		"1 {record|records} imported":                  "1 record imported",
		"2 {record|records} imported":                  "2 records imported",
		"0 {record|records}":                           "0 records",
		"1,000 {change|changes}":                       "1,000 changes",
		"of its 1 {change|changes}, 1 {was|were} read": "of its 1 change, 1 was read",
		"1 more {change|changes}; 3 more {row|rows}":   "1 more change; 3 more rows",
		"imported 1/2 {record|records}":                "imported 1/2 records",
		"{record|records}":                             "{record|records}",
	} {
		if got := plurals(in); got != want {
			t.Errorf("plurals(%q) = %q; want %q", in, got, want)
		}
	}
}
