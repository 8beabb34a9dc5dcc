package relief

import (
	"bytes"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func genMeta(t *rapid.T) Meta {
	m := Meta{
		Stamp: ledger.Stamp{Wall: rapid.Int64().Draw(t, "wall"), Logical: rapid.Uint32().Draw(t, "logical")},
		Seq:   rapid.Uint64().Draw(t, "seq"),
		Index: rapid.IntRange(-3, 1<<20).Draw(t, "index"),
	}
	copy(m.Device[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "device"))
	copy(m.Change[:], rapid.SliceOfN(rapid.Byte(), 32, 32).Draw(t, "change"))
	return m
}

// genRawValue draws a field value: canonical CBOR of a value a field holds,
// empty, or arbitrary bytes (mostly not well-formed, which the encoders
// must refuse alike).
func genRawValue(t *rapid.T) []byte {
	switch rapid.IntRange(0, 4).Draw(t, "valueKind") {
	case 0:
		return nil
	case 1:
		return rapid.SliceOfN(rapid.Byte(), 1, 12).Draw(t, "raw")
	case 2:
		b, _ := encMode.Marshal(rapid.String().Draw(t, "text"))
		return b
	case 3:
		b, _ := encMode.Marshal(rapid.Float64().Draw(t, "float"))
		return b
	default:
		b, _ := encMode.Marshal([]Item{{Name: rapid.String().Draw(t, "item"), Unit: "只"}})
		return b
	}
}

// genRecord draws a record of every part, fields' metas all different.
func genRecord(t *rapid.T) *Record {
	r := &Record{Kind: rapid.String().Draw(t, "kind"), ID: rapid.String().Draw(t, "id")}
	if n := rapid.IntRange(-1, 40).Draw(t, "fields"); n >= 0 {
		r.Fields = map[string]Field{}
		for range n {
			name := rapid.OneOf(rapid.StringN(0, 30, -1), rapid.SampledFrom([]string{FieldTitle, FieldItems, FieldDistrict, "a", "b", "aa"})).Draw(t, "name")
			f := Field{Value: genRawValue(t), Meta: genMeta(t)}
			var prev []Write
			for range rapid.IntRange(0, 2).Draw(t, "prev") {
				prev = append(prev, Write{Value: genRawValue(t), Meta: genMeta(t)})
			}
			f.SetPrev(prev)
			var seen []Sight
			for range rapid.IntRange(0, 2).Draw(t, "seen") {
				s := Sight{Meta: genMeta(t)}
				for range rapid.IntRange(0, 2).Draw(t, "saw") {
					s.Saw = append(s.Saw, Tag{Change: genMeta(t).Change, Index: rapid.IntRange(0, 9).Draw(t, "sawIndex")})
				}
				seen = append(seen, s)
			}
			f.SetSeen(seen)
			r.Fields[name] = f
		}
	}
	if rapid.Bool().Draw(t, "sets") {
		r.Sets = map[string]ORSet{"skills": {Adds: map[string][]Tag{"driver": {{Index: 1}}}}}
	}
	if n := rapid.IntRange(0, 3).Draw(t, "steps"); n > 0 {
		for range n {
			r.Transitions = append(r.Transitions, Step{Meta: genMeta(t), Action: Action(rapid.String().Draw(t, "action")), Args: Args{Note: rapid.String().Draw(t, "note"), Until: rapid.Int64().Draw(t, "until")}})
		}
	}
	if rapid.Bool().Draw(t, "first") {
		m := genMeta(t)
		r.First = &m
	}
	if rapid.Bool().Draw(t, "last") {
		m := genMeta(t)
		r.Last = &m
	}
	for range rapid.IntRange(0, 2).Draw(t, "grants") {
		g := Grant{To: ledger.DeviceID{byte(rapid.Byte().Draw(t, "to"))}, Wrapped: rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "wrapped"), Meta: genMeta(t)}
		g.Key[0] = rapid.Byte().Draw(t, "key")
		r.Grants = append(r.Grants, g)
	}
	if rapid.Bool().Draw(t, "erased") {
		r.Erased = &Erasure{Meta: genMeta(t), Note: rapid.String().Draw(t, "why")}
	}
	for range rapid.IntRange(0, 2).Draw(t, "erasures") {
		r.Erasures = append(r.Erasures, Erasure{Meta: genMeta(t), Note: rapid.String().Draw(t, "why")})
	}
	return r
}

// TestRecordWireMatchesReflection checks that encodeRecordWire gives exactly
// encMode.Marshal's bytes (and fails where it fails) over random records.
func TestRecordWireMatchesReflection(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRecord(t)
		want, wantErr := encMode.Marshal(r)
		got, gotErr := encodeRecordWire(r)
		if (gotErr != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
			t.Fatalf("encodeRecordWire(%+v) = %x, %v; want %x, %v (reflection)", r, got, gotErr, want, wantErr)
		}
	})
}

// TestRecordWireKnowsEveryField fails when Record, Field or Meta gain a
// field: record_wire.go writes them by hand and must learn it too.
func TestRecordWireKnowsEveryField(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want int
	}{{Record{}, 10}, {fieldWire{}, 5}, {Field{}, 3}, {fieldMore{}, 2}, {Meta{}, 6}, {ledger.Stamp{}, 2}} {
		if got := reflect.TypeOf(tc.v).NumField(); got != tc.want {
			t.Errorf("%T has %d fields; record_wire.go writes %d: teach encodeRecordWire the new one", tc.v, got, tc.want)
		}
	}
}
