package main

import (
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// TestBadgerTuning: -badger's list sets each option it names on the
// store's options and leaves the others; an unknown key or a value that is
// not a number is refused, naming it.
func TestBadgerTuning(t *testing.T) {
	f, err := badgerTuning("l0tables=20, l0stall=40,basetable=1,compression=none,conflicts=false,vthreshold=64,bloomfp=0.05")
	if err != nil {
		t.Fatal(err)
	}
	o := f(badger.DefaultOptions(""))
	if o.NumLevelZeroTables != 20 || o.NumLevelZeroTablesStall != 40 || o.BaseTableSize != 1<<20 ||
		o.Compression != options.None || o.DetectConflicts || o.ValueThreshold != 64 || o.BloomFalsePositive != 0.05 {
		t.Errorf("options after -badger: %+v", o)
	}
	if o.MemTableSize != badger.DefaultOptions("").MemTableSize {
		t.Errorf("memtable size changed to %d though not named", o.MemTableSize)
	}
	if f, err := badgerTuning(" "); f != nil || err != nil {
		t.Errorf("empty list = %v, %v; want nil, nil", f != nil, err)
	}
	for spec, want := range map[string]string{"l0tabels=20": "l0tabels", "l0tables=x": `"x"`, "compression=lz4": "lz4", "l0tables": "key=value"} {
		if _, err := badgerTuning(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("badgerTuning(%q) = %v; want an error naming %s", spec, err, want)
		}
	}
}
