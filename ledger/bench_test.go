package ledger

import (
	"testing"
)

// benchBody is the body size giving changes of about 700 bytes.
const benchBody = 560

func benchFeed(b *testing.B, n int) []*Change {
	b.Helper()
	feed := testFeed(b, testKey(1), n, benchBody)
	enc, err := Encode(feed[0])
	must(b, err)
	b.Cleanup(func() { b.ReportMetric(float64(len(enc)), "bytes/change") })
	return feed
}

func BenchmarkEncode(b *testing.B) {
	c := benchFeed(b, 1)[0]
	for b.Loop() {
		if _, err := Encode(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	enc, err := Encode(benchFeed(b, 1)[0])
	must(b, err)
	for b.Loop() {
		if _, err := Decode(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	c := benchFeed(b, 1)[0]
	key := testKey(1)
	for b.Loop() {
		if err := Sign(key, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	c := benchFeed(b, 1)[0]
	for b.Loop() {
		if err := c.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRun verifies a run of 1000 changes per iteration and reports
// the cost per change, to compare with BenchmarkVerify.
func BenchmarkVerifyRun(b *testing.B) {
	const n = 1000
	run := benchFeed(b, n)
	for b.Loop() {
		if err := VerifyRun(Hash{}, run); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/change")
}
