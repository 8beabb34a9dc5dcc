package region

import "testing"

// BenchmarkResolve: one row's place from a city column and an address.
func BenchmarkResolve(b *testing.B) {
	for b.Loop() {
		if _, ok := Resolve("", "荆门", "", "湖北省荆门市钟祥市郢中街道莫愁湖路1号人民医院住院部"); !ok {
			b.Fatal("not resolved")
		}
	}
}
