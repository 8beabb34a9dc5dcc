package bulletin

import (
	"bytes"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// TestWriteChunksAsWriteWith: random demands (none, one, or more than a CSV
// chunk), cut into random chunks, give WriteChunks the bytes WriteWith gives
// for every streamed format and language.
func TestWriteChunksAsWriteWith(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{0, 1, 3, 17, csvChunk + 5}).Draw(t, "n")
		chunk := rapid.IntRange(1, 40).Draw(t, "chunk")
		base := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC).UnixNano()
		ds := make([]relief.Demand, n)
		var latest time.Time
		for i := range ds {
			upd := ledger.Stamp{Wall: base + int64(rapid.IntRange(0, 1000).Draw(t, "upd"))*int64(time.Minute)}
			ds[i] = relief.Demand{
				ID: rapid.StringMatching(`[a-z2-7]{8}`).Draw(t, "id"), Code: "D-" + rapid.StringMatching(`[0-9]{4}`).Draw(t, "code"),
				Title:        rapid.SampledFrom([]string{"医院<A>", "school & co", "", "\"quoted\", 13912345678"}).Draw(t, "title"),
				RequesterOrg: rapid.SampledFrom([]string{"", "某医院"}).Draw(t, "org"), District: "江汉区",
				Category: "medical_supplies", Status: rapid.SampledFrom([]relief.Status{relief.StatusPublished, relief.StatusInProgress, relief.StatusCollected}).Draw(t, "status"),
				UpdatedAt: upd,
			}
			if rapid.Bool().Draw(t, "items") {
				q := float64(rapid.IntRange(1, 5000).Draw(t, "q"))
				ds[i].Items = []relief.Item{{Name: "N95口罩", Unit: "box", Needed: &q}}
			}
			if u := upd.Time(); u.After(latest) {
				latest = u
			}
		}
		for _, o := range []Options{{Format: "csv"}, {Format: "csv", Lang: "en"}, {Format: "hxl"}, {Format: "json"}, {Format: "json", Lang: "en"}, {Format: "text"}, {Format: "text", Lang: "en"}} {
			var want, got bytes.Buffer
			if err := WriteWith(&want, ds, o); err != nil {
				t.Fatal(err)
			}
			c := Chunked{N: len(ds), Latest: latest, Each: func(fn func([]relief.Demand) error) error {
				for lo := 0; lo < len(ds); lo += chunk {
					if err := fn(ds[lo:min(lo+chunk, len(ds))]); err != nil {
						return err
					}
				}
				return nil
			}}
			if err := WriteChunks(&got, c, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("%s %s of %d demands in chunks of %d: not WriteWith's bytes\ngot:  %.300q\nwant: %.300q", o.Format, o.Lang, n, chunk, got.String(), want.String())
			}
		}
	})
}

// TestWriteChunksRefusesWhatItCannotStream: xlsx and team bulletins are
// refused before a byte is written.
func TestWriteChunksRefusesWhatItCannotStream(t *testing.T) {
	for _, o := range []Options{{Format: "xlsx"}, {Format: "csv", Level: relief.LevelTeam}} {
		var buf bytes.Buffer
		err := WriteChunks(&buf, Chunked{Each: func(func([]relief.Demand) error) error { return nil }}, o)
		if err == nil || buf.Len() > 0 {
			t.Fatalf("%+v: err %v, %d bytes written; want a refusal and nothing written", o, err, buf.Len())
		}
	}
}
