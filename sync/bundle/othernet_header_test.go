package bundle_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/reliefmesh/reliefmesh/desk"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestOtherNetworkWithDamagedHeaderIsNamed: another network's bundle whose header is damaged: the error still
// names the bundle's network (the first change says it).
func TestOtherNetworkWithDamagedHeaderIsNamed(t *testing.T) {
	_, _, b := twoFeeds(t, 3)
	headerAt, _, _ := frames(t, b)
	b[headerAt+3] ^= 0x21 // inside the header
	dst := open(t)
	if _, err := dst.CreateNetwork("another incident", "coordinator"); err != nil {
		t.Fatal(err)
	}
	res, err := bundle.Import(bytes.NewReader(b), dst, nil)
	if !errors.Is(err, bundle.ErrOtherNetwork) {
		t.Fatalf("Import = %v; want ErrOtherNetwork", err)
	}
	e := desk.BundleError("site.rmbundle", res, err)
	t.Logf("err %v; desk error %+v", err, e)
	if res.Header.Network == "" || e.Args["network"] == "" {
		t.Errorf("the bundle's network is not named: Result.Header.Network %q, Args[network] %q (message %q)", res.Header.Network, e.Args["network"], e.Message)
	}
}
