package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/bulletin"
)

// TestExportSignsAndIncludesUnpublished: the app's export writes the
// bulletin's signature beside it, which verifies and names this member; in
// Chinese by default; with includeUnpublished the demands not yet published
// are in it; a device that is no member writes the bulletin and says why it
// is unsigned.
func TestExportSignsAndIncludesUnpublished(t *testing.T) {
	a, _ := importApp(t)
	path := rawFile(t, "wuhan2020/hospital_needs_wuhan.json")
	p, _ := a.Imports.Preview(path)
	rep, err := a.Imports.Run(path, p.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "公告.csv")
	res, err := a.Imports.ExportToWith(out, "csv", "public", true)
	if err != nil || res.Demands != len(rep.IDs) || res.Unpublished != 0 || res.SigPath != out+".sig" || res.SignProblem != "" {
		t.Fatalf("ExportToWith(include unpublished) = %+v, %v; want %d demands, signed", res, err, len(rep.IDs))
	}
	data, _ := os.ReadFile(out)
	sig, _ := os.ReadFile(res.SigPath)
	v, err := bulletin.Verify(data, sig, bulletin.VerifyOptions{})
	if err != nil || v.Signer.Name != "甲" {
		t.Errorf("Verify of the app's bulletin = %+v, %v; want signed by 甲", v, err)
	}
	if !strings.HasPrefix(string(data), "\ufeff编号,") {
		t.Errorf("the app's CSV bulletin starts %.40q; want Chinese headers", data)
	}
	if res, err := a.Imports.ExportTo(out, "csv", "public"); err != nil || res.Demands != 0 || res.Unpublished != len(rep.IDs) {
		t.Errorf("ExportTo(published only) = %+v, %v; want 0 demands, %d unpublished", res, err, len(rep.IDs))
	}

	stranger := newApp(t, t.TempDir())
	st, err := stranger.store()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.JoinNetwork("aaaaaaaaaaaaaaaaaaaaaaaaaa"); err != nil {
		t.Fatal(err)
	}
	res, err = stranger.Imports.ExportToWith(filepath.Join(t.TempDir(), "b.csv"), "csv", "public", false)
	if err != nil || res.SigPath != "" || res.SignProblem != "not_allowed" {
		t.Errorf("export by a device that is no member = %+v, %v; want unsigned, not_allowed", res, err)
	}
}
