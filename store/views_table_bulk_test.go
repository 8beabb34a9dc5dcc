package store

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// bulkRow is a row of the test table of TestRowTableBulkAsOneByOne.
type bulkRow struct {
	key  string
	a, b int
}

func newBulkTestTable() *rowTable[*bulkRow] {
	t := &rowTable[*bulkRow]{key: func(r *bulkRow) string { return r.key }, ixs: []rowIndex[*bulkRow]{
		{cmp: func(x, y *bulkRow) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.key, y.key)) }},
		{cmp: func(x, y *bulkRow) int { return cmp.Or(cmp.Compare(x.b, y.b), cmp.Compare(x.key, y.key)) },
			has: func(r *bulkRow) bool { return r.b%3 != 0 }},
	}}
	initRowTable(t, func(key string) *bulkRow { return &bulkRow{key: key} })
	return t
}

// TestRowTableBulkAsOneByOne: a bulk write (writeBulk: puts and deletes in
// the primary tree, every secondary index built again at Commit) leaves the
// table as the same writes made one by one do, in every index, whether the
// table held rows before or not.
func TestRowTableBulkAsOneByOne(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		plain, bulk := newBulkTestTable(), newBulkTestTable()
		type op struct {
			del  bool
			key  int
			a, b int
		}
		gen := rapid.Custom(func(t *rapid.T) op {
			return op{del: rapid.IntRange(0, 4).Draw(t, "del") == 0, key: rapid.IntRange(0, 40).Draw(t, "key"),
				a: rapid.IntRange(0, 5).Draw(t, "a"), b: rapid.IntRange(0, 9).Draw(t, "b")}
		})
		apply := func(x *rowTxn[*bulkRow], ops []op) {
			for _, o := range ops {
				k := fmt.Sprintf("k%02d", o.key)
				if o.del {
					x.del(k)
				} else {
					x.put(&bulkRow{key: k, a: o.a, b: o.b})
				}
			}
			x.Commit()
		}
		before := rapid.SliceOf(gen).Draw(rt, "before") // one by one in both
		apply(plain.write(), before)
		apply(bulk.write(), before)
		ops := rapid.SliceOf(gen).Draw(rt, "ops")
		apply(plain.write(), ops)
		apply(bulk.writeBulk(), ops)
		keys := func(tb *rowTable[*bulkRow], i int) []string {
			var out []string
			s := tb.snap()
			if i < 0 {
				for r := range s.rows() {
					out = append(out, fmt.Sprintf("%s/%d/%d", r.key, r.a, r.b))
				}
				return out
			}
			for r := range s.all(i) {
				out = append(out, fmt.Sprintf("%s/%d/%d", r.key, r.a, r.b))
			}
			return out
		}
		for i := -1; i < 2; i++ {
			if got, want := keys(bulk, i), keys(plain, i); !slices.Equal(got, want) {
				rt.Fatalf("index %d after a bulk write: %v; want (one by one) %v", i, got, want)
			}
		}
	})
}
