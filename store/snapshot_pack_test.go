package store

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

// fillAll sets every exported field reachable from v (pointers allocated,
// slices of two elements) to a value that differs from its zero and from the
// other fields', counting on n. Times are UTC instants (every time of a fold
// is).
func fillAll(t *testing.T, v reflect.Value, n *int) {
	*n++
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Unix(1_700_000_000+int64(*n), int64(*n)).UTC()))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("字段" + strings.Repeat("x", *n%7) + string(rune('a'+*n%26)) + string(rune('0'+*n%10)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * 1_000_003)
	case reflect.Uint, reflect.Uint64, reflect.Uint32:
		v.SetUint(uint64(*n) * 7)
	case reflect.Uint8:
		v.SetUint(uint64(*n%250) + 1)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.25)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fillAll(t, v.Index(i), n)
		}
	case reflect.Array:
		for i := range v.Len() {
			fillAll(t, v.Index(i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(t, v.Field(i), n)
			}
		}
	default:
		t.Fatalf("fillAll: a field of kind %s (%s): teach the packed row format and this test about it", v.Kind(), v.Type())
	}
}

// TestSnapshotCarriesEveryField: a snapshot row with every field of its
// demand's list view (and of every type the view holds) set comes back from
// the packed format equal, nil and empty slices apart. A field added to
// relief.Demand, to a type it holds or to snapRow that packedChunk does not
// write makes it fail (as Item.Received once came back 0 from a snapshot and
// a bulletin said nothing was received).
func TestSnapshotCarriesEveryField(t *testing.T) {
	var sr snapRow
	n := 0
	fillAll(t, reflect.ValueOf(&sr.View).Elem(), &n)
	sr.View.History = nil // never in a list view: Demand folds it from Badger
	sr.Text = "title\x00code\x00"
	sr.Wait = relief.ReplyClaim
	fillAll(t, reflect.ValueOf(&sr.WaitSince).Elem(), &n)
	fillAll(t, reflect.ValueOf(&sr.Actors).Elem(), &n)
	fillAll(t, reflect.ValueOf(&sr.Awards).Elem(), &n)
	if got := reflect.TypeFor[snapRow]().NumField(); got != 7 {
		t.Fatalf("snapRow has %d fields; packedChunk writes 6 and Entry goes by CBOR: teach it the new one", got)
	}
	empty := snapRow{View: relief.Demand{ID: "d2", Items: []relief.Item{}, Tags: []string{}, Sealed: []string{}}, Actors: []ledger.DeviceID{}}
	rows := []snapRow{sr, empty, {}}
	got, err := unpackChunk(packedChunk(rows))
	if err != nil {
		t.Fatal(err)
	}
	// A demand table keeps each view packed, as the chunk holds it: decoded,
	// it is the whole view (into a fresh demand and into a scratch one that
	// held another), and the row's View holds the resident fields; read in
	// place (a mapped file) or copied.
	for _, inPlace := range []bool{false, true} {
		checkChunkViews(t, rows, inPlace)
	}
	if !reflect.DeepEqual(got, rows) {
		for i := range rows {
			gv, wv := reflect.ValueOf(got[i].View), reflect.ValueOf(rows[i].View)
			for f := range gv.NumField() {
				if !reflect.DeepEqual(gv.Field(f).Interface(), wv.Field(f).Interface()) {
					t.Errorf("row %d: Demand.%s came back as %+v; want %+v", i, gv.Type().Field(f).Name, gv.Field(f).Interface(), wv.Field(f).Interface())
				}
			}
		}
		t.Fatalf("rows came back different from the packed format:\n%+v\nwant\n%+v", got, rows)
	}
}

// checkChunkViews checks that rows packed into a chunk and read by
// unpackChunkViews (inPlace or not) come back as packed views that decode to
// the rows' views (into a fresh demand and into a scratch one that held
// another) and resident fields equal to their residentViews; that the views
// read in place are slices of the chunk itself and those copied are not;
// and that the ids and codes are never the chunk's (a lookup by id must not
// read a mapped file's pages).
func checkChunkViews(t *testing.T, rows []snapRow, inPlace bool) {
	t.Helper()
	chunk := packedChunk(rows)
	res, views, err := unpackChunkViews(chunk, inPlace)
	if err != nil {
		t.Fatal(err)
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(chunk)))
	in := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return s != "" && p >= lo && p < lo+uintptr(len(chunk))
	}
	var scratch relief.Demand
	for i := len(rows) - 1; i >= 0; i-- {
		var d relief.Demand
		if err := views[i].decode(&d, false); err != nil || !reflect.DeepEqual(d, rows[i].View) {
			gv, wv := reflect.ValueOf(d), reflect.ValueOf(rows[i].View)
			for f := range gv.NumField() {
				if !reflect.DeepEqual(gv.Field(f).Interface(), wv.Field(f).Interface()) {
					t.Errorf("row %d (in place %v): Demand.%s decoded as %+v; want %+v", i, inPlace, gv.Type().Field(f).Name, gv.Field(f).Interface(), wv.Field(f).Interface())
				}
			}
			t.Fatalf("row %d (in place %v): packed view does not decode to the row's view: %v", i, inPlace, err)
		}
		if err := views[i].decode(&scratch, true); err != nil || !reflect.DeepEqual(scratch, rows[i].View) {
			t.Fatalf("row %d (in place %v): packed view decodes into a scratch demand as %+v, %v; want %+v", i, inPlace, scratch, err, rows[i].View)
		}
		if want := residentView(&rows[i].View); !reflect.DeepEqual(res[i].View, want) {
			t.Fatalf("row %d (in place %v): resident fields %+v; want %+v", i, inPlace, res[i].View, want)
		}
		if in(views[i].b) != inPlace || in(views[i].arena) != inPlace {
			t.Fatalf("row %d: list view in the chunk's bytes %v, %v; want %v", i, in(views[i].b), in(views[i].arena), inPlace)
		}
		if in(res[i].View.ID) || in(res[i].View.Code) {
			t.Fatalf("row %d (in place %v): id or code left in the chunk's bytes", i, inPlace)
		}
	}
}

// TestPackedChunkDamaged: a packed chunk cut anywhere, or with a byte
// changed in its rows, is refused or decodes without panicking (the file's
// checksum is what catches damage; this keeps a bad chunk from crashing an
// open).
func TestPackedChunkDamaged(t *testing.T) {
	var sr snapRow
	n := 0
	fillAll(t, reflect.ValueOf(&sr.View).Elem(), &n)
	sr.View.History = nil
	b := packedChunk([]snapRow{sr, sr})
	for i := range len(b) {
		if _, err := unpackChunk(b[:i]); err == nil {
			t.Fatalf("a chunk cut at %d of %d bytes decoded", i, len(b))
		}
		for _, inPlace := range []bool{false, true} {
			if _, _, err := unpackChunkViews(b[:i], inPlace); err == nil {
				t.Fatalf("a chunk cut at %d of %d bytes decoded as a table's views (in place %v)", i, len(b), inPlace)
			}
		}
		c := slices.Clone(b)
		c[i] ^= 0xa5
		unpackChunk(c) // must not panic
		unpackChunkViews(c, false)
		unpackChunkViews(c, true)
	}
}

// TestPostingsRoundTrip: the postings packPostings writes come back as the
// table builds them from the same texts (rapid), and damaged ones are refused.
func TestPostingsRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		texts := rapid.SliceOfN(rapid.StringOfN(rapid.SampledFrom([]rune("救援物资帐篷水药品ab\x00")), 0, 12, -1), 0, 40).Draw(t, "texts")
		want := map[uint64][]uint32{}
		for i, text := range texts {
			for _, g := range gramsOf(nil, text) {
				want[g] = append(want[g], uint32(i))
			}
		}
		b := packPostings(texts)
		got, err := unpackPostings(b, len(texts))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("postings came back as %v; want %v", got, want)
		}
		if len(want) > 0 {
			if _, err := unpackPostings(b, len(texts)-1); err == nil && len(texts) > 0 {
				for _, l := range want {
					if l[len(l)-1] == uint32(len(texts)-1) {
						t.Fatalf("postings naming row %d decoded for %d rows", len(texts)-1, len(texts)-1)
					}
				}
			}
			if _, err := unpackPostings(b[:len(b)-1], len(texts)); err == nil {
				t.Fatalf("postings cut short decoded")
			}
		}
	})
}

// TestPackViewAsTheMapWriter: packView, which finds a view's strings by a
// scan of their spans (packWriter.few) and turns to the map past
// packFewMax, writes the very bytes and arena a map-only writer writes for
// the same view, which decodes to the view; views of few and of many
// strings, some repeated, packed one after the other by the same pool.
func TestPackViewAsTheMapWriter(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		words := []string{"口罩", "只", "套", "武昌", "protective_equipment", "a", "ab", "ba", "医用防护服", ""}
		word := func(label string) string {
			if rapid.Bool().Draw(rt, label+"new") {
				return rapid.StringN(0, 6, -1).Draw(rt, label)
			}
			return rapid.SampledFrom(words).Draw(rt, label)
		}
		for range rapid.IntRange(1, 4).Draw(rt, "views") {
			d := relief.Demand{ID: word("id"), Code: word("code"), Title: word("title"), Category: word("category"),
				District: word("district"), Address: word("address"), Status: relief.Status(word("status"))}
			for range rapid.IntRange(0, 3*packFewMax).Draw(rt, "tags") {
				d.Tags = append(d.Tags, word("tag"))
			}
			for range rapid.IntRange(0, 5).Draw(rt, "items") {
				d.Items = append(d.Items, relief.Item{Name: word("name"), Unit: word("unit"), Spec: word("spec")})
			}
			pv := packView(&d)
			w := newPackWriter()
			w.demand(&d)
			if pv.arena != string(w.arena) || pv.b != string(w.buf) {
				rt.Fatalf("packView of a view of %d tags: arena %q bytes %x; want the map writer's %q %x", len(d.Tags), pv.arena, pv.b, w.arena, w.buf)
			}
			var got relief.Demand
			if err := pv.decode(&got, false); err != nil || !reflect.DeepEqual(got, d) {
				rt.Fatalf("packView decodes to %+v, %v; want %+v", got, err, d)
			}
		}
	})
}
