package relief

import (
	"bytes"
	"crypto/rand"
	"errors"
	mrand "math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/seal"
)

func mustB(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// identities returns an X25519 identity per test device, from a fixed seed.
func identities(t testing.TB, devs ...ledger.DeviceID) map[ledger.DeviceID]seal.Identity {
	t.Helper()
	out := make(map[ledger.DeviceID]seal.Identity)
	for _, d := range devs {
		id, err := seal.IdentityFromSeed(d[:])
		if err != nil {
			t.Fatal(err)
		}
		out[d] = id
	}
	return out
}

func publics(ids map[ledger.DeviceID]seal.Identity, devs ...ledger.DeviceID) map[ledger.DeviceID]seal.PublicKey {
	out := make(map[ledger.DeviceID]seal.PublicKey)
	for _, d := range devs {
		out[d] = ids[d].Public()
	}
	return out
}

var sealedContacts = []Contact{{Name: "张联系人", Phone: "+8613912345678"}}

// sealedDemandOps returns the ops of a demand recorded with contacts and a
// position, sealed under a new key wrapped to the given members.
func sealedDemandOps(t testing.TB, id string, to map[ledger.DeviceID]seal.PublicKey) (seal.Key, []ledger.Op) {
	t.Helper()
	set := must(SetFields(KindDemand, id, map[string]any{
		FieldTitle: "口罩", FieldContacts: sealedContacts, FieldPosition: Position{Lat: 30.5, Lon: 114.3},
	}))
	key, err := seal.NewKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sealed, ok, err := SealSet(set, key, rand.Reader)
	if err != nil || !ok {
		t.Fatalf("SealSet = %v, %v; want sealed", ok, err)
	}
	return key, []ledger.Op{sealed, must(GrantKey(KindDemand, id, key, to, rand.Reader))}
}

func TestPublishKey(t *testing.T) {
	w := seeded(t)
	ids := identities(t, vol, coord)
	w.do(vol, 3, must(PublishKey(vol, ids[vol].Public())))
	// A key published for vol by another device does not count.
	w.do(coord, 4, must(PublishKey(vol, ids[coord].Public())))
	got, ok := EncryptionKey(w.rec(KindMember, vol.String()))
	if !ok || got != ids[vol].Public() {
		t.Fatalf("EncryptionKey(vol) = %x, %v; want vol's own key", got, ok)
	}
	if _, ok := EncryptionKey(w.rec(KindMember, rev.String())); ok {
		t.Fatal("EncryptionKey(rev) found a key; rev published none")
	}
	if r := w.roster(); len(r.Conflicts()) != 0 {
		t.Fatalf("roster conflicts after publish_key: %v", r.Conflicts())
	}
	if keys := EncryptionKeys(w.all()); len(keys) != 1 || keys[vol] != ids[vol].Public() {
		t.Fatalf("EncryptionKeys = %v; want vol's only", keys)
	}
	bad := ledger.Op{Kind: KindMember, ID: vol.String(), Type: OpPublishKey, Body: must(Endorse(vol, RoleVolunteer, "x")).Body}
	if err := ValidateOp(bad); !errors.Is(err, ErrInvalidOp) {
		t.Fatalf("ValidateOp(publish_key without a key) = %v; want ErrInvalidOp", err)
	}
}

func TestSealedDemandOpens(t *testing.T) {
	w := seeded(t)
	ids := identities(t, coord, rev, vol)
	_, ops := sealedDemandOps(t, "d1", publics(ids, coord, rev))
	w.do(coord, 3, ops...)
	rec := w.rec(KindDemand, "d1")
	enc, err := EncodeRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	posEnc := mustB(encMode.Marshal(Position{Lat: 30.5, Lon: 114.3}))
	for _, secret := range []string{"13912345678", "张联系人", string(posEnc)} {
		if bytes.Contains(enc, []byte(secret)) {
			t.Fatalf("the record holds %q in plain text", secret)
		}
	}
	folded := w.demand("d1")
	if folded.Contacts != nil || folded.Position != nil || !folded.PositionSealed || folded.Title != "口罩" {
		t.Fatalf("FoldDemand = contacts %v position %v (sealed %v) title %q; want the contacts and position sealed, the title plain", folded.Contacts, folded.Position, folded.PositionSealed, folded.Title)
	}
	for _, who := range []ledger.DeviceID{coord, rev} {
		d := folded
		Opener{Self: who, ID: ids[who]}.OpenDemand(rec, &d)
		if !slices.Equal(d.Contacts, sealedContacts) || d.Position == nil || d.Position.Lat != 30.5 || d.Sealed != nil {
			t.Fatalf("OpenDemand by %s = %v, %v, sealed %v; want the contacts and position", who.Short(), d.Contacts, d.Position, d.Sealed)
		}
	}
	d := folded
	Opener{Self: vol, ID: ids[vol]}.OpenDemand(rec, &d)
	if d.Contacts != nil || d.Position != nil || !slices.Equal(d.Sealed, []string{FieldContacts, FieldPosition}) {
		t.Fatalf("OpenDemand by a volunteer = %v, %v, sealed %v; want nothing opened", d.Contacts, d.Position, d.Sealed)
	}
	// OpenPosition opens the position alone, where OpenDemand does.
	for who, want := range map[ledger.DeviceID]bool{coord: true, rev: true, vol: false} {
		p, ok := Opener{Self: who, ID: ids[who]}.OpenPosition(rec)
		if ok != want || (ok && p != (Position{Lat: 30.5, Lon: 114.3})) {
			t.Fatalf("OpenPosition by %s = %v, %v; want opened %v", who.Short(), p, ok, want)
		}
	}
	plain := w.rec(KindDemand, "d1")
	w.do(coord, 4, must(SetFields(KindDemand, "d1", map[string]any{FieldPosition: Position{Lat: 31, Lon: 115}})))
	if plain = w.rec(KindDemand, "d1"); SealedPosition(plain) {
		t.Fatal("SealedPosition after a later plain write = true; want false")
	}
	if p, ok := (Opener{Self: vol, ID: ids[vol]}).OpenPosition(plain); !ok || p.Lat != 31 {
		t.Fatalf("OpenPosition of a plain position = %v, %v; want it as written", p, ok)
	}
	// vol holding rev's wrap still opens nothing: the wrap is rev's.
	if _, err := (Opener{Self: rev, ID: ids[vol]}).Key(rec, rec.Grants[0].Key); err == nil {
		t.Fatal("Opener with another identity unwrapped rev's key")
	}
}

func TestSealedValueMovedDoesNotOpen(t *testing.T) {
	w := seeded(t)
	ids := identities(t, coord)
	key, ops := sealedDemandOps(t, "d1", publics(ids, coord))
	w.do(coord, 3, ops...)
	// Copy d1's sealed contacts and its grant into d2: the AAD binds d1.
	src := w.rec(KindDemand, "d1")
	raw := src.Fields[SealedField(FieldContacts)].Value
	body := mustB(encMode.Marshal(setBody{Fields: map[string]cbor.RawMessage{
		FieldTitle: mustB(encMode.Marshal("x")), SealedField(FieldContacts): raw}}))
	w.do(coord, 4, ledger.Op{Kind: KindDemand, ID: "d2", Type: OpSet, Body: body},
		must(GrantKey(KindDemand, "d2", key, publics(ids, coord), rand.Reader)))
	opened, closed := Opener{Self: coord, ID: ids[coord]}.Open(w.rec(KindDemand, "d2"))
	if len(opened) != 0 || !slices.Equal(closed, []string{FieldContacts}) {
		t.Fatalf("Open(moved value) = %v, closed %v; want nothing opened", opened, closed)
	}
}

func TestGrantToOwner(t *testing.T) {
	w := seeded(t)
	ids := identities(t, coord, vol)
	_, ops := sealedDemandOps(t, "d1", publics(ids, coord))
	w.do(coord, 3, ops...)
	w.do(vol, 4, must(PublishKey(vol, ids[vol].Public())))
	rec := w.rec(KindDemand, "d1")
	keys := EncryptionKeys(w.all())
	missing := MissingGrants(rec, Cleared(w.roster().Members(), vol), keys)
	if len(missing) != 1 {
		t.Fatalf("MissingGrants = %v; want one key missing for vol", missing)
	}
	for id, to := range missing {
		if !slices.Equal(to, []ledger.DeviceID{vol}) {
			t.Fatalf("MissingGrants = %v; want vol only (coord holds its wrap, rev published no key)", to)
		}
		k, err := Opener{Self: coord, ID: ids[coord]}.Key(rec, id)
		if err != nil {
			t.Fatal(err)
		}
		w.do(coord, 5, must(GrantKey(KindDemand, "d1", k, publics(ids, vol), rand.Reader)))
	}
	if m := MissingGrants(w.rec(KindDemand, "d1"), Cleared(w.roster().Members(), vol), keys); len(m) != 0 {
		t.Fatalf("MissingGrants after the grant = %v; want none", m)
	}
	d := w.demand("d1")
	Opener{Self: vol, ID: ids[vol]}.OpenDemand(w.rec(KindDemand, "d1"), &d)
	if !slices.Equal(d.Contacts, sealedContacts) {
		t.Fatalf("the owner opens %v; want %v", d.Contacts, sealedContacts)
	}
}

func TestCleared(t *testing.T) {
	w := seeded(t)
	w.do(coord, 3, must(Revoke(rev2, 0, "left")), must(Promote(coord2, RoleVolunteer)))
	got := Cleared(w.roster().Members(), vol, nobody)
	want := []ledger.DeviceID{coord, rev, vol}
	if !slices.Equal(got, want) {
		t.Fatalf("Cleared = %v; want %v (coordinators, reviewers, the owner; not the revoked or demoted)", got, want)
	}
}

// TestSealedConverges applies the ops of a sealed demand, a later plain
// write, a re-sealed edit and grants in every order: the records are equal.
func TestSealedConverges(t *testing.T) {
	ids := identities(t, coord, rev, vol)
	_, ops := sealedDemandOps(t, "d1", publics(ids, coord))
	key2, ops2 := sealedDemandOps(t, "d1", publics(ids, rev))
	type applied struct {
		m  Meta
		op ledger.Op
	}
	var all []applied
	for i, op := range append(ops, ops2...) {
		all = append(all, applied{Meta{Stamp: ledger.Stamp{Wall: int64(10 + i)}, Device: coord, Seq: uint64(i + 1), Change: changeID(coord, uint64(i+1))}, op})
	}
	all = append(all, applied{Meta{Stamp: ledger.Stamp{Wall: 20}, Device: rev, Seq: 1, Change: changeID(rev, 1)},
		must(GrantKey(KindDemand, "d1", key2, publics(ids, vol), rand.Reader))})
	all = append(all, all[len(all)-1]) // a grant applied twice
	var want []byte
	for run := range 50 {
		order := slices.Clone(all)
		r := mrand.New(mrand.NewPCG(uint64(run), 7))
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		rec := &Record{}
		for _, a := range order {
			if err := ApplyOp(rec, a.m, a.op); err != nil {
				t.Fatal(err)
			}
		}
		enc, err := EncodeRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := DecodeRecord(enc)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := EncodeRecord(dec); !bytes.Equal(again, enc) {
			t.Fatal("EncodeRecord(DecodeRecord(x)) != x for a record with grants")
		}
		if want == nil {
			want = enc
			d := FoldDemand(rec, nil)
			Opener{Self: vol, ID: ids[vol]}.OpenDemand(rec, &d)
			if !slices.Equal(d.Contacts, sealedContacts) {
				t.Fatalf("vol opens %v after the grant of the latest key; want %v", d.Contacts, sealedContacts)
			}
			continue
		}
		if !bytes.Equal(enc, want) {
			t.Fatalf("order %d gives another record", run)
		}
	}
}

func TestGrantValidation(t *testing.T) {
	ids := identities(t, coord)
	key, _ := seal.NewKey(rand.Reader)
	good := must(GrantKey(KindDemand, "d1", key, publics(ids, coord), rand.Reader))
	if err := ValidateOp(good); err != nil {
		t.Fatalf("ValidateOp(grant) = %v", err)
	}
	for name, op := range map[string]ledger.Op{
		"on a task":  {Kind: KindTask, ID: "t1", Type: OpGrant, Body: good.Body},
		"empty body": {Kind: KindDemand, ID: "d1", Type: OpGrant, Body: []byte{0xa0}},
		"bad wrap": {Kind: KindDemand, ID: "d1", Type: OpGrant, Body: mustB(encMode.Marshal(grantBody{Key: key.ID(),
			Wraps: []Wrap{{To: coord, Wrapped: []byte{1, 2, 3}}}}))},
		"sealed garbage": {Kind: KindDemand, ID: "d1", Type: OpSet, Body: mustB(encMode.Marshal(setBody{Fields: map[string]cbor.RawMessage{
			SealedField(FieldContacts): mustB(encMode.Marshal([]byte("not an envelope")))}}))},
	} {
		if err := ValidateOp(op); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("ValidateOp(%s) = %v; want ErrInvalidOp", name, err)
		}
	}
}

// TestEraseConverges: a sealed write before an erasure, a grant before it,
// and a write after it, with erase ops by a volunteer and by a volunteer
// promoted to coordinator only after its erase (both refused) and the
// promotion, applied in every order (and purged as the store does after
// each op, with the roster of what has arrived): one record and one view,
// the coordinator's erasure recorded, the earlier value and wraps gone, the
// later value kept, the refused erase ops conflicts.
func TestEraseConverges(t *testing.T) {
	ids := identities(t, coord)
	_, before := sealedDemandOps(t, "d1", publics(ids, coord))
	_, after := sealedDemandOps(t, "d1", publics(ids, coord))
	type applied struct {
		m  Meta
		op ledger.Op
	}
	meta := func(d ledger.DeviceID, wall int64, seq uint64, i int) Meta {
		return Meta{Stamp: ledger.Stamp{Wall: wall}, Device: d, Seq: seq, Index: i, Change: changeID(d, seq)}
	}
	seed := seeded(t)
	var members []applied // the roster's ops, as seeded applied them
	for _, rec := range seed.all() {
		for _, s := range rec.Transitions {
			members = append(members, applied{s.Meta, must(makeOp(KindMember, rec.ID, string(s.Action), s.Args))})
		}
	}
	erase := must(Erase(KindDemand, "d1", "requester asked"))
	all := append(members, applied{meta(coord, 10, 11, 0), before[0]}, applied{meta(coord, 10, 11, 1), before[1]},
		applied{meta(vol, 15, 1, 0), must(Erase(KindDemand, "d1", "vol"))},
		applied{meta(vol2, 16, 1, 0), must(Erase(KindDemand, "d1", "vol2"))},
		applied{meta(coord, 17, 12, 0), must(Promote(vol2, RoleCoordinator))},
		applied{meta(coord, 20, 13, 0), erase},
		applied{meta(coord, 30, 14, 0), after[0]}, applied{meta(coord, 30, 14, 1), after[1]})
	var want []byte
	var wantView Demand
	for run := range 60 {
		order := slices.Clone(all)
		if run > 0 {
			r := mrand.New(mrand.NewPCG(uint64(run), 11))
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		w := newWorld(t)
		for _, a := range order {
			w.apply(a.m, a.op)
			Purge(w.rec(KindDemand, "d1"), w.roster())
		}
		rec := w.rec(KindDemand, "d1")
		enc, _ := EncodeRecord(rec)
		d, eff := FoldDemandAllowed(rec, w.roster())
		Opener{Self: coord, ID: ids[coord]}.OpenDemand(eff, &d)
		if run == 0 {
			want, wantView = enc, d
			if e := d.Erased; e == nil || e.Reason != "requester asked" || e.By != coord || e.At.Wall != 20 {
				t.Fatalf("Erased = %+v; want coord's at 20 with its reason", e)
			}
			if len(rec.Grants) != 1 || rec.Grants[0].Meta.Seq != 14 {
				t.Fatalf("grants after the erasure = %v; want the later write's only", rec.Grants)
			}
			if !slices.Equal(d.Contacts, sealedContacts) {
				t.Fatalf("the value written after the erasure = %v; want it kept", d.Contacts)
			}
			refused := map[ledger.DeviceID]Reason{}
			for _, c := range d.Conflicts {
				if c.Action == ActionErase {
					refused[c.By] = c.Reason
				}
			}
			if len(refused) != 2 || refused[vol] != ReasonRole || refused[vol2] != ReasonRole {
				t.Fatalf("erase conflicts %v; want vol's and vol2's refused for their role", refused)
			}
			continue
		}
		if !bytes.Equal(enc, want) {
			t.Fatalf("order %d gives another record", run)
		}
		if !reflect.DeepEqual(d, wantView) {
			t.Fatalf("order %d gives another view:\n%+v\n%+v", run, d, wantView)
		}
	}
	// Without the later write, nothing of the earlier value is left.
	w := seeded(t)
	for _, a := range all[len(members) : len(all)-2] {
		w.apply(a.m, a.op)
	}
	rec := w.rec(KindDemand, "d1")
	Purge(rec, w.roster())
	if len(rec.Grants) != 0 || len(SealedValues(rec)) != 0 || rec.Fields[FieldTitle].Value == nil {
		t.Fatalf("after the erasure: grants %v, sealed %v, title %v; want only the title", rec.Grants, SealedValues(rec), rec.Fields[FieldTitle])
	}
	// Erase ops by non-coordinators alone erase nothing, purged or not.
	w = seeded(t)
	for _, a := range all[len(members) : len(members)+4] {
		w.apply(a.m, a.op)
	}
	rec = w.rec(KindDemand, "d1")
	if Purge(rec, w.roster()) || len(rec.Grants) != 1 || len(SealedValues(rec)) != 2 {
		t.Fatalf("non-coordinators' erase ops purged: grants %v, sealed %v; want both kept", rec.Grants, SealedValues(rec))
	}
	d, eff := FoldDemandAllowed(rec, w.roster())
	Opener{Self: coord, ID: ids[coord]}.OpenDemand(eff, &d)
	if d.Erased != nil || !slices.Equal(d.Contacts, sealedContacts) {
		t.Fatalf("non-coordinators' erase ops: erased %+v, contacts %v; want no erasure, the contacts", d.Erased, d.Contacts)
	}
	for _, bad := range []ledger.Op{
		{Kind: KindDemand, ID: "d1", Type: OpErase, Body: mustB(encMode.Marshal(Args{}))},
		{Kind: KindTask, ID: "t1", Type: OpErase, Body: erase.Body},
		{Kind: KindDemand, ID: "d1", Type: OpErase, Body: mustB(encMode.Marshal(Args{Note: "x", Name: "y"}))},
	} {
		if err := ValidateOp(bad); !errors.Is(err, ErrInvalidOp) {
			t.Errorf("ValidateOp(%s %s) = %v; want ErrInvalidOp", bad.Kind, bad.Body, err)
		}
	}
}

// TestTamperedSealedValue: a sealed value whose ciphertext was altered (by
// a member who signed it so, since a signed change cannot be altered
// after) is not opened, and says so: the field stays sealed.
func TestTamperedSealedValue(t *testing.T) {
	ids := identities(t, coord)
	_, ops := sealedDemandOps(t, "d1", publics(ids, coord))
	var b setBody
	if err := decMode.Unmarshal(ops[0].Body, &b); err != nil {
		t.Fatal(err)
	}
	var env []byte
	if err := decMode.Unmarshal(b.Fields[SealedField(FieldContacts)], &env); err != nil {
		t.Fatal(err)
	}
	e, err := seal.DecodeEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	e.Ciphertext[0] ^= 1
	env = mustB(encMode.Marshal(e))
	b.Fields[SealedField(FieldContacts)] = mustB(encMode.Marshal(env))
	tampered := ledger.Op{Kind: KindDemand, ID: "d1", Type: OpSet, Body: mustB(encMode.Marshal(b))}
	if err := ValidateOp(tampered); err != nil {
		t.Fatalf("ValidateOp(tampered ciphertext) = %v; want it well-formed (only a key can tell)", err)
	}
	w := seeded(t)
	w.do(coord, 3, tampered, ops[1])
	d := w.demand("d1")
	Opener{Self: coord, ID: ids[coord]}.OpenDemand(w.rec(KindDemand, "d1"), &d)
	if d.Contacts != nil || !slices.Equal(d.Sealed, []string{FieldContacts}) {
		t.Fatalf("OpenDemand(tampered) = %v, sealed %v; want nothing opened, the contacts told sealed", d.Contacts, d.Sealed)
	}
}

// TestSealSetGroups: a volunteer's emergency contacts are sealed under the
// key of their own group, its contacts and notes under another; KeyFields
// says which fields each key opens, and a key sealing both groups (written
// before the groups) is cleared only for the members cleared for both.
func TestSealSetGroups(t *testing.T) {
	set := must(SetFields(KindVolunteer, "v1", map[string]any{
		FieldName: "乙", FieldContacts: sealedContacts, FieldNotes: "夜班",
		FieldEmergencyContacts: []Contact{{Name: "乙的妈妈", Phone: "+8613900000000"}},
	}))
	keys := map[string]seal.Key{}
	sealed, groups, err := SealSetGroups(set, func(g string) (seal.Key, error) {
		if k, ok := keys[g]; ok {
			return k, nil
		}
		k, err := seal.NewKey(rand.Reader)
		keys[g] = k
		return k, err
	}, rand.Reader)
	if err != nil || !slices.Equal(groups, []string{SealGroupRestricted, SealGroupEmergency}) {
		t.Fatalf("SealSetGroups = groups %v, %v; want restricted and emergency", groups, err)
	}
	w := seeded(t)
	w.do(coord, 3, sealed)
	rec := w.rec(KindVolunteer, "v1")
	if got := KeyFields(rec, keys[SealGroupRestricted].ID()); !slices.Equal(got, []string{FieldContacts, FieldNotes}) {
		t.Errorf("KeyFields(restricted key) = %v; want contacts and notes", got)
	}
	if got := KeyFields(rec, keys[SealGroupEmergency].ID()); !slices.Equal(got, []string{FieldEmergencyContacts}) {
		t.Errorf("KeyFields(emergency key) = %v; want the emergency contacts", got)
	}
	// one key for all three, as written before the groups
	one, ok, err := SealSet(set, keys[SealGroupRestricted], rand.Reader)
	if err != nil || !ok {
		t.Fatalf("SealSet = %v, %v", ok, err)
	}
	w.do(coord, 4, one)
	rec = w.rec(KindVolunteer, "v1")
	ids := identities(t, vol, rev)
	pub := publics(ids, vol, rev)
	missing := MissingGrantsFor(rec, func(fields []string) []ledger.DeviceID {
		if slices.Equal(fields, []string{FieldEmergencyContacts}) {
			return []ledger.DeviceID{vol, rev} // vol cleared for the emergency contacts only
		}
		return []ledger.DeviceID{rev}
	}, pub)
	if len(missing) != 1 || !slices.Equal(missing[keys[SealGroupRestricted].ID()], []ledger.DeviceID{rev}) {
		t.Fatalf("MissingGrantsFor = %v; want the one key granted to rev only", missing)
	}
}

// mapKeys is a KeyCache for tests, counting what it is asked.
type mapKeys struct {
	m    map[seal.KeyID]seal.Key
	hits int
}

func (c *mapKeys) Get(id seal.KeyID) (seal.Key, bool) {
	k, ok := c.m[id]
	if ok {
		c.hits++
	}
	return k, ok
}
func (c *mapKeys) Add(id seal.KeyID, k seal.Key) { c.m[id] = k }

// TestOpenerKeyCache: an Opener with a key cache keeps the key it unwrapped
// and opens the record again from it; a record that no longer grants the
// key to this device (its wraps erased) does not open from the cache.
func TestOpenerKeyCache(t *testing.T) {
	w := seeded(t)
	ids := identities(t, coord)
	key, ops := sealedDemandOps(t, "d1", publics(ids, coord))
	w.do(coord, 3, ops...)
	rec := w.rec(KindDemand, "d1")
	cache := &mapKeys{m: map[seal.KeyID]seal.Key{}}
	o := Opener{Self: coord, ID: ids[coord], Keys: cache}
	for i := range 2 {
		opened, closed := o.Open(rec)
		if _, ok := opened[FieldContacts]; !ok || len(closed) != 0 {
			t.Fatalf("Open #%d = %v, closed %v; want the contacts", i+1, opened, closed)
		}
	}
	if got, ok := cache.m[key.ID()]; !ok || got != key || cache.hits != 1 {
		t.Fatalf("cache holds %v (%v), %d hits; want the content key, used by the second open", ok, got == key, cache.hits)
	}
	stripped := *rec
	stripped.Grants = nil
	if opened, closed := o.Open(&stripped); len(opened) != 0 || !slices.Contains(closed, FieldContacts) {
		t.Fatalf("Open of the record without its grant = %v, closed %v; want nothing opened from the cache", opened, closed)
	}
}
