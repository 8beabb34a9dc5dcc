// Package bundletest writes bundle files an import refuses, one of each way
// a file goes wrong, with the desk code every front end must give it
// (desk.BundleError): the app's tests and the hub's read the same files, so
// that both front ends are held to the same code for the same file.
package bundletest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// File is one bundle file an import refuses.
type File struct {
	Name string // what is wrong with it, for the test's messages
	Path string
	Code string // the desk code (desk.Code*) every front end gives it
}

// Files writes into dir, from whole (the path of a bundle of the importing
// device's own network whose changes hold the text marker, e.g. the
// incident's name) and other (the path of a bundle of another network), one
// file of each way an import fails: empty, cut inside its header, cut short
// among its changes, with the bytes of marker changed (a frame that is no
// longer a change), another network's, and a file that is no bundle (a CSV).
// It fails t when whole does not hold marker.
func Files(t testing.TB, dir, whole, other, marker string) []File {
	t.Helper()
	w, err := os.ReadFile(whole)
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Replace(w, []byte(marker), bytes.Repeat([]byte{0xff}, len(marker)), 1)
	if bytes.Equal(flipped, w) || len(marker) == 0 {
		t.Fatalf("bundletest: %s does not hold %q: no change to damage", whole, marker)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return []File{
		{"empty", write("empty.rmbundle", nil), desk.CodeBundleTruncated},
		{"cut inside its header", write("header.rmbundle", w[:len(bundle.Magic)+2]), desk.CodeBundleTruncated},
		{"cut short", write("cut.rmbundle", w[:len(w)*2/3]), desk.CodeBundleTruncated},
		{"bytes changed", write("flipped.rmbundle", flipped), desk.CodeBundleDamaged},
		{"another network's", other, desk.CodeBundleOtherNetwork},
		{"not a bundle", write("demands.csv", []byte("单位名称,所需物资\n协和医院,N95 口罩\n")), desk.CodeNotBundle},
	}
}
