package relief

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reliefmesh/reliefmesh/ledger"
)

func TestLastWriterWins(t *testing.T) {
	tests := []struct {
		name string
		a, b ledger.DeviceID
		wa   int64
		wb   int64
		va   any
		vb   any
		want string
	}{
		{"later stamp wins", vol, vol2, 10, 20, "a", "b", "b"},
		{"earlier stamp loses", vol, vol2, 20, 10, "a", "b", "a"},
		{"tie breaks on device", vol2, vol, 10, 10, "a", "b", "a"},
		{"later clear wins", vol, vol2, 10, 20, "a", nil, ""},
		{"earlier clear loses", vol, vol2, 20, 10, "a", nil, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, reverse := range []bool{false, true} {
				w := newWorld(t)
				opA := must(SetFields(KindDemand, "d", map[string]any{FieldTitle: tt.va}))
				opB := must(SetFields(KindDemand, "d", map[string]any{FieldTitle: tt.vb}))
				if reverse {
					w.do(tt.b, tt.wb, opB)
					w.do(tt.a, tt.wa, opA)
				} else {
					w.do(tt.a, tt.wa, opA)
					w.do(tt.b, tt.wb, opB)
				}
				var got string
				w.rec(KindDemand, "d").Value(FieldTitle, &got)
				if got != tt.want {
					t.Errorf("Apply(%s, reverse %v) = %q; want %q", tt.name, reverse, got, tt.want)
				}
			}
		})
	}
}

func TestORSet(t *testing.T) {
	w := newWorld(t)
	w.do(vol, 10, must(Add(KindVolunteer, "v", SetSkills, "driver", "medic")))
	b, _ := EncodeRecord(w.rec(KindVolunteer, "v"))
	seen, _ := DecodeRecord(b)                                        // vol2 has seen the first add only
	w.do(vol, 11, must(Add(KindVolunteer, "v", SetSkills, "driver"))) // concurrent re-add
	w.do(vol2, 12, must(Remove(seen, SetSkills, "driver", "medic")))
	if got, want := w.rec(KindVolunteer, "v").Elements(SetSkills), []string{"driver"}; !slices.Equal(got, want) {
		t.Errorf("Apply(add ‖ remove) = %v; want %v (concurrent add survives)", got, want)
	}
	if _, err := Remove(w.rec(KindVolunteer, "v"), SetSkills, "cook"); !errors.Is(err, ErrInvalidOp) {
		t.Errorf("Remove(absent) = %v; want ErrInvalidOp", err)
	}
}

func TestApplyIdempotentAndKindMismatch(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusPublished)
	rec := w.rec(KindDemand, "d")
	before, _ := EncodeRecord(rec)
	for _, s := range slices.Clone(rec.Transitions) {
		op := must(Transition(KindDemand, "d", s.Action, s.Args))
		if err := ApplyOp(rec, s.Meta, op); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := EncodeRecord(rec)
	if !bytes.Equal(before, after) {
		t.Errorf("ApplyOp(again) changed the record")
	}
	err := ApplyOp(rec, Meta{}, must(SetFields(KindDemand, "other", map[string]any{FieldTitle: "x"})))
	if err == nil {
		t.Errorf("ApplyOp(other id) = nil; want error")
	}
	if err := ApplyOp(nil, Meta{}, must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "x"}))); err == nil {
		t.Errorf("ApplyOp(nil record) = nil; want error")
	}
}

func TestValidateOp(t *testing.T) {
	neg := -1.0
	good := must(SetFields(KindDemand, "d", map[string]any{FieldTitle: "x"}))
	tests := []struct {
		name string
		op   func() (ledger.Op, error)
	}{
		{"unknown kind", func() (ledger.Op, error) { return SetFields("spaceship", "d", map[string]any{FieldTitle: "x"}) }},
		{"empty id", func() (ledger.Op, error) { return SetFields(KindDemand, "", map[string]any{FieldTitle: "x"}) }},
		{"long id", func() (ledger.Op, error) {
			return SetFields(KindDemand, strings.Repeat("x", MaxIDLen+1), map[string]any{FieldTitle: "x"})
		}},
		{"unknown field", func() (ledger.Op, error) { return SetFields(KindDemand, "d", map[string]any{"colour": "red"}) }},
		{"no fields", func() (ledger.Op, error) { return SetFields(KindDemand, "d", nil) }},
		{"wrong type", func() (ledger.Op, error) { return SetFields(KindDemand, "d", map[string]any{FieldTitle: 42}) }},
		{"bad urgency", func() (ledger.Op, error) { return SetFields(KindDemand, "d", map[string]any{FieldUrgency: "whenever"}) }},
		{"negative quantity", func() (ledger.Op, error) {
			return SetFields(KindDemand, "d", map[string]any{FieldItems: []Item{{Name: "masks", Needed: &neg}}})
		}},
		{"bad position", func() (ledger.Op, error) {
			return SetFields(KindDemand, "d", map[string]any{FieldPosition: Position{Lat: 91}})
		}},
		{"bad window", func() (ledger.Op, error) {
			return SetFields(KindVolunteer, "v", map[string]any{FieldAvailability: []Window{{Day: 1, From: 600, To: 500}}})
		}},
		{"field of another kind", func() (ledger.Op, error) { return SetFields(KindOffer, "o", map[string]any{FieldTitle: "x"}) }},
		{"unknown set", func() (ledger.Op, error) { return Add(KindDemand, "d", SetSkills, "driver") }},
		{"empty element", func() (ledger.Op, error) { return Add(KindDemand, "d", SetTags, " ") }},
		{"unknown action", func() (ledger.Op, error) { return Transition(KindDemand, "d", "teleport", Args{}) }},
		{"task action on demand", func() (ledger.Op, error) { return Transition(KindDemand, "d", ActionAccept, Args{}) }},
		{"transition on volunteer", func() (ledger.Op, error) { return Transition(KindVolunteer, "v", ActionClaim, Args{}) }},
		{"handover without owner", func() (ledger.Op, error) { return Transition(KindDemand, "d", ActionHandover, Args{}) }},
		{"duplicate of nothing", func() (ledger.Op, error) { return Transition(KindDemand, "d", ActionMarkDuplicate, Args{}) }},
		{"progress without receipts", func() (ledger.Op, error) { return Transition(KindDemand, "d", ActionProgress, Args{}) }},
		{"reopen without a reason", func() (ledger.Op, error) { return Transition(KindDemand, "d", ActionReopen, Args{Note: " \n"}) }},
		{"endorse with bad role", func() (ledger.Op, error) { return Endorse(vol, "king", "x") }},
		{"member op on demand", func() (ledger.Op, error) {
			return ledger.Op{Kind: KindDemand, ID: "d", Type: OpEndorse}, ValidateOp(ledger.Op{Kind: KindDemand, ID: "d", Type: OpEndorse, Body: must(Endorse(vol, RoleVolunteer, "x")).Body})
		}},
		{"member id not a key", func() (ledger.Op, error) {
			op := must(Endorse(vol, RoleVolunteer, "x"))
			op.ID = "alice"
			return op, ValidateOp(op)
		}},
		{"unknown op type", func() (ledger.Op, error) {
			op := good
			op.Type = "delete"
			return op, ValidateOp(op)
		}},
		{"trailing bytes", func() (ledger.Op, error) {
			op := good
			op.Body = append(slices.Clone(op.Body), 0)
			return op, ValidateOp(op)
		}},
		{"unknown body key", func() (ledger.Op, error) {
			op := good
			op.Body = []byte{0xa2, 0x01, 0xa1, 0x65, 't', 'i', 't', 'l', 'e', 0x61, 'x', 0x09, 0x00}
			return op, ValidateOp(op)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op, err := tt.op()
			if !errors.Is(err, ErrInvalidOp) {
				t.Errorf("Apply(%s) = %v; want ErrInvalidOp", tt.name, err)
			}
			if op.Type != "" {
				if err := ApplyOp(&Record{}, Meta{}, op); err == nil {
					t.Errorf("ApplyOp(%s) = nil; want error", tt.name)
				}
			}
		})
	}
}

func TestEncodeDecodeRecord(t *testing.T) {
	w := seeded(t)
	toStatus(t, w, "d", StatusInProgress)
	needed := 200.0
	w.do(rev, 40, must(SetFields(KindDemand, "d", map[string]any{
		FieldItems:   []Item{{Name: "masks", Unit: "box", Needed: &needed}, {Name: "gloves"}},
		FieldUrgency: UrgencyCritical,
	})), must(Add(KindDemand, "d", SetTags, "wuhan", "hospital")))
	w.do(coord, 41, must(SetFields(KindOffer, "o", map[string]any{FieldSupplier: "Acme", FieldValidUntil: time.UnixMilli(1_800_000_000_000)})))
	for _, rec := range w.all() {
		b, err := EncodeRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeRecord(b)
		if err != nil {
			t.Fatalf("DecodeRecord(%s) = %v", rec.ID, err)
		}
		b2, _ := EncodeRecord(got)
		if !bytes.Equal(b, b2) {
			t.Errorf("EncodeRecord(DecodeRecord(%s)) differs", rec.ID)
		}
	}
	d := w.demand("d")
	if d.Urgency != UrgencyCritical || *d.Items[0].Needed != 200 || d.Items[1].Needed != nil || !slices.Equal(d.Tags, []string{"hospital", "wuhan"}) {
		t.Errorf("FoldDemand = %+v", d)
	}
	if o := FoldOffer(w.rec(KindOffer, "o")); !o.ValidUntil.Equal(time.UnixMilli(1_800_000_000_000)) || o.Supplier != "Acme" {
		t.Errorf("FoldOffer = %+v", o)
	}
	for _, b := range [][]byte{nil, {0xa0}, {0xff}, {0xa2, 0x01, 0x61, 'd', 0x02, 0x60}} {
		if _, err := DecodeRecord(b); err == nil {
			t.Errorf("DecodeRecord(%x) = nil; want error", b)
		}
	}
}

func TestCode(t *testing.T) {
	re := regexp.MustCompile(`^D-[2-9A-HJ-NP-Z]{6}$`)
	seen := make(map[string]bool)
	for i := range 1000 {
		id := string(rune('a'+i%26)) + strings.Repeat("x", i/26)
		c := Code(KindDemand, id)
		if !re.MatchString(c) {
			t.Fatalf("Code(demand, %q) = %q; want D- and 6 of %s", id, c, codeAlphabet)
		}
		seen[c] = true
	}
	if len(seen) < 999 {
		t.Errorf("Code: %d distinct codes for 1000 ids", len(seen))
	}
	if Code(KindDemand, "a") != Code(KindDemand, "a") || Code(KindDemand, "a") == Code(KindDemand, "b") {
		t.Errorf("Code not deterministic or not distinguishing")
	}
	if c := Code(KindVolunteer, "a"); c[0] != 'V' {
		t.Errorf("Code(volunteer) = %q; want V-…", c)
	}
	// As documented, on every peer: the kind's letter and the first 30 bits
	// of SHA-256(kind, 0, id), for every kind (X for the others) and ids
	// longer than Code's buffer.
	letters := map[string]byte{KindDemand: 'D', KindVolunteer: 'V', KindOffer: 'O', KindTask: 'T', KindMember: 'M', KindPartner: 'X', "other": 'X'}
	for kind, letter := range letters {
		for _, id := range []string{"", "a", "d-1", strings.Repeat("长", 40), strings.Repeat("x", 200)} {
			sum := sha256.Sum256([]byte(kind + "\x00" + id))
			n := binary.BigEndian.Uint64(sum[:8])
			want := []byte{letter, '-'}
			for range 6 {
				want = append(want, codeAlphabet[n>>59])
				n <<= 5
			}
			if got := Code(kind, id); got != string(want) {
				t.Errorf("Code(%s, %q) = %q; want %q", kind, id, got, want)
			}
		}
	}
	if strings.ContainsAny(codeAlphabet, "0O1I") || len(codeAlphabet) != 32 {
		t.Errorf("codeAlphabet %q", codeAlphabet)
	}
}
