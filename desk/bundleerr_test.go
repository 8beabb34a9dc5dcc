package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestBundleErrorEveryKind: every kind of error a bundle import returns maps
// to a desk code (BundleError, the one mapping the app and the hub share),
// the one expected, naming the file, and a code the UI has words for in
// zh-CN and en (frontend/src/locales, error.<code>).
func TestBundleErrorEveryKind(t *testing.T) {
	res := bundle.Result{Header: bundle.Header{Network: "0123456789abcdef0123456789abcdef", Count: 9}}
	res.Applied, res.Rejected = 2, map[ledger.Reason]int{ledger.ReasonBadSignature: 1}
	for _, c := range []struct {
		err    error
		code   string
		reason string
	}{
		{&bundle.FileError{Kind: bundle.FileEmpty}, CodeBundleTruncated, "empty"},
		{&bundle.FileError{Kind: bundle.FileCutShort}, CodeBundleTruncated, "header"},
		{&bundle.FileError{Kind: bundle.FileCutShort, CountKnown: true, Changes: 9, Read: 3, Applied: 1}, CodeBundleTruncated, ""},
		{&bundle.FileError{Kind: bundle.FileCutShort, CountKnown: true, Changes: 9, Read: 3}, CodeBundleTruncated, "nothing_new"},
		{&bundle.FileError{Kind: bundle.FileCorrupt}, CodeBundleDamaged, "header"},
		{&bundle.FileError{Kind: bundle.FileCorrupt, CountKnown: true, Changes: 9, Read: 3}, CodeBundleDamaged, "corrupt"},
		{fmt.Errorf("%w: bundle %q, this device %q", bundle.ErrOtherNetwork, "a", "b"), CodeBundleOtherNetwork, ""},
		{fmt.Errorf("read: %w", bundle.ErrNotBundle), CodeNotBundle, ""},
		{fmt.Errorf("%w: it holds more changes than the 9 its header says", bundle.ErrDamaged), CodeBundleDamaged, ""},
		{fmt.Errorf("frame: %w", io.ErrUnexpectedEOF), CodeBundleTruncated, ""},
		{&ledger.RejectError{Reason: ledger.ReasonMalformed, Err: errors.New("frame too large")}, CodeBundleDamaged, ""},
		{store.ErrNoNetwork, CodeNoNetwork, ""},
		{&Error{Code: CodeNotAllowed, Message: "x"}, CodeNotAllowed, ""},
		{errors.New("badger: disk full"), CodeStorage, ""},
	} {
		e := BundleError("a.rmbundle", res, c.err)
		if e == nil || e.Code != c.code || e.Args["reason"] != c.reason {
			t.Errorf("BundleError(%v) = %+v; want code %s, reason %q", c.err, e, c.code, c.reason)
			continue
		}
		if e.Code != CodeNotAllowed && (e.Field != "path" || len(e.Message) < len("a.rmbundle") || e.Message[:len("a.rmbundle")] != "a.rmbundle") {
			t.Errorf("BundleError(%v) = %+v; want it to name the file", c.err, e)
		}
		for _, lang := range []string{"zh-CN", "en"} {
			if !hasErrorWords(t, lang, e.Code) {
				t.Errorf("BundleError(%v) = %s: the UI has no %s words for it", c.err, e.Code, lang)
			}
		}
	}
	if e := BundleError("a.rmbundle", res, fmt.Errorf("%w", bundle.ErrOtherNetwork)); e.Args["network"] != "01234567" || e.Args["file"] != "a.rmbundle" {
		t.Errorf("another network's bundle = %+v; want the file and the short network id", e)
	}
	if e := BundleError("a.rmbundle", res, nil); e != nil {
		t.Errorf("BundleError(nil) = %+v; want nil", e)
	}
}

// hasErrorWords reports whether the UI's locale lang has words for the
// error code.
func hasErrorWords(t *testing.T, lang, code string) bool {
	t.Helper()
	b, err := os.ReadFile("../frontend/src/locales/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var l struct {
		Error map[string]any `json:"error"`
	}
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatal(err)
	}
	_, ok := l.Error[code]
	return ok
}
