package desk

import (
	"bytes"
	"context"
	"encoding/binary"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// sealPeer is one device of a sealing test: its data directory and desk.
type sealPeer struct {
	dir string
	dk  *Desk
}

func openSealPeer(t *testing.T, dir string) *sealPeer {
	t.Helper()
	st, err := store.Open(dir, store.Options{ValueLogGCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &sealPeer{dir: dir, dk: New(st)}
}

func (p *sealPeer) id() string { return p.dk.Status().Device }

// sealNetwork returns a coordinator's device and the devices it endorsed,
// by role (name → role), each joined and caught up.
func sealNetwork(t *testing.T, roles map[string]string) (*sealPeer, map[string]*sealPeer) {
	t.Helper()
	coord := openSealPeer(t, t.TempDir())
	n, err := coord.dk.CreateNetwork("Flood", "协调员甲")
	if err != nil {
		t.Fatal(err)
	}
	others := map[string]*sealPeer{}
	for name, role := range roles {
		p := openSealPeer(t, t.TempDir())
		if err := coord.dk.Endorse(p.id(), role, name); err != nil {
			t.Fatal(err)
		}
		if err := p.dk.Store().JoinNetwork(n.ID); err != nil {
			t.Fatal(err)
		}
		others[name] = p
	}
	for _, p := range others {
		peopleSync(t, coord.dk.Store(), p.dk.Store())
	}
	return coord, others
}

// publish has p write its first change (its X25519 key goes with it) and
// gives it to the coordinator.
func publish(t *testing.T, p, coord *sealPeer) {
	t.Helper()
	if _, err := p.dk.EnsureKey(); err != nil {
		t.Fatalf("EnsureKey = %v", err)
	}
	peopleSync(t, p.dk.Store(), coord.dk.Store())
}

// secretsIn returns which of secrets the files under dir hold, raw, and
// which Badger's values (every version, decompressed) hold.
func secretsIn(t *testing.T, dir string, secrets []string) (files, values []string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) && !slices.Contains(files, s) {
				files = append(files, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := badger.Open(badger.DefaultOptions(filepath.Join(dir, "db")).WithReadOnly(true).WithLogger(nil))
	if err != nil {
		t.Fatalf("open %s read-only: %v", dir, err)
	}
	defer db.Close()
	err = db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.AllVersions = true
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			for _, s := range secrets {
				if bytes.Contains(v, []byte(s)) && !slices.Contains(values, s) {
					values = append(values, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, values
}

// TestSealedContactsAfterSync: the coordinator imports the 2020 Wuhan
// hospital demands; after a full sync, neither a volunteer's data directory
// nor an observer hub's holds one of their contacts' phone numbers or names
// or exact positions (in the files as written, or in any Badger value), while the coordinator
// and a reviewer who got the changes through the hub read them all.
func TestSealedContactsAfterSync(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer", "hub": "observer", "审核员丙": "reviewer"})
	vol, hub, rev := p["志愿者乙"], p["hub"], p["审核员丙"]
	publish(t, vol, coord)
	publish(t, rev, coord)
	if _, err := hub.dk.EnsureKey(); err != nil {
		t.Fatal(err)
	}
	recs, _ := readRaw(t, "wuhan2020/hospital_needs_wuhan.json")
	rep, err := coord.dk.Import(context.Background(), recs, nil)
	if err != nil || rep.Created+rep.Flagged != 45 {
		t.Fatalf("Import = %d created, %d flagged, %v; want 45", rep.Created, rep.Flagged, err)
	}
	// Phones and names that the hospitals' public notices (descriptions)
	// print are public text, not sealed values.
	var publicText strings.Builder
	for _, id := range rep.IDs {
		d, _ := coord.dk.Store().Demand(id)
		publicText.WriteString(d.Title + d.Description + d.RequesterOrg + d.Address)
		for _, it := range d.Items {
			publicText.WriteString(it.Name + it.Spec)
		}
	}
	var secrets, public []string
	for _, id := range rep.IDs {
		d, err := coord.dk.Store().Demand(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Sealed) != 0 {
			t.Fatalf("the coordinator's copy of %s has sealed %v; want every value opened", d.Code, d.Sealed)
		}
		for _, c := range d.Contacts {
			phone := strings.TrimPrefix(c.Phone, "+86")
			if len(phone) >= 7 && !slices.Contains(secrets, phone) && !strings.Contains(publicText.String(), phone) {
				secrets = append(secrets, phone)
			}
			if len([]rune(c.Name)) >= 2 && !slices.Contains(secrets, c.Name) && !strings.Contains(publicText.String(), c.Name) {
				secrets = append(secrets, c.Name)
			}
		}
		if len([]rune(d.RequesterOrg)) >= 6 && !slices.Contains(public, d.RequesterOrg) {
			public = append(public, d.RequesterOrg)
		}
	}
	if len(secrets) < 40 || len(public) < 20 {
		t.Fatalf("%d contacts' phones and names, %d organisations from the import; want at least 40 and 20", len(secrets), len(public))
	}
	// Exact positions, written by the coordinator after the import (the
	// sheets have none): their encoded forms (CBOR's float64s, the views'
	// little-endian floats, decimal text) are secrets too.
	var positions []string
	for i, id := range rep.IDs {
		dm, _ := coord.dk.Store().Demand(id)
		pos := relief.Position{Lat: 30.5 + float64(i)*0.0012347 + 1e-7, Lon: 114.25 + float64(i)*0.0007919 + 1e-7}
		if err := coord.dk.writeSeen(dm, map[string]any{relief.FieldPosition: pos}); err != nil {
			t.Fatalf("set the position of %s: %v", dm.Code, err)
		}
		positions = append(positions, positionForms(pos)...)
	}
	secrets = append(secrets, positions...)
	// The volunteer and the hub catch up from the coordinator; the reviewer
	// only from the hub, which relays what it cannot open.
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	peopleSync(t, coord.dk.Store(), hub.dk.Store())
	peopleSync(t, hub.dk.Store(), rev.dk.Store())
	for name, peer := range map[string]*sealPeer{"volunteer": vol, "hub": hub} {
		d, err := peer.dk.Store().Demand(rep.IDs[0])
		if err != nil || len(d.Contacts) != 0 || !slices.Contains(d.Sealed, relief.FieldContacts) {
			t.Fatalf("%s's copy = contacts %v sealed %v, %v; want the contacts sealed", name, d.Contacts, d.Sealed, err)
		}
		det, err := peer.dk.Demand(rep.IDs[0])
		if err != nil || !slices.ContainsFunc(det.Hidden, func(h relief.Hidden) bool { return h.Field == "contacts" && h.Sealed }) {
			t.Fatalf("%s's detail hides %+v, %v; want contacts told as sealed", name, det.Hidden, err)
		}
	}
	for _, id := range rep.IDs {
		want, _ := coord.dk.Store().Demand(id)
		got, err := rev.dk.Store().Demand(id)
		if err != nil || !slices.Equal(got.Contacts, want.Contacts) || got.ReviewNotes != want.ReviewNotes {
			t.Fatalf("the reviewer's copy of %s (through the hub) = %v, %v; want %v", want.Code, got.Contacts, err, want.Contacts)
		}
	}
	// The reviewer places every demand exactly; the volunteer and the hub
	// at its district's centre, told as sealed.
	for name, peer := range map[string]*sealPeer{"reviewer": rev, "volunteer": vol, "hub": hub} {
		ps, err := peer.dk.MapPoints()
		if err != nil {
			t.Fatal(err)
		}
		exact, sealed := 0, 0
		for _, pt := range ps {
			if pt.Kind != relief.KindDemand {
				continue
			}
			want, _ := coord.dk.Store().Demand(pt.ID)
			switch {
			case pt.Position != nil && want.Position != nil && *pt.Position == *want.Position && !pt.PositionSealed:
				exact++
			case pt.Position == nil && pt.PositionSealed:
				sealed++
			default:
				t.Errorf("%s's map point %s = %v sealed %v; want %v exactly or sealed", name, pt.Code, pt.Position, pt.PositionSealed, want.Position)
			}
		}
		if name == "reviewer" && (exact == 0 || sealed != 0) || name != "reviewer" && (exact != 0 || sealed == 0) {
			t.Errorf("%s's map: %d points exact, %d sealed", name, exact, sealed)
		}
	}
	for name, peer := range map[string]*sealPeer{"volunteer": vol, "hub": hub, "coordinator": coord} {
		if err := peer.dk.Store().Close(); err != nil {
			t.Fatal(err)
		}
		files, values := secretsIn(t, peer.dir, append(slices.Clone(secrets), public...))
		var leaked []string
		for _, s := range append(files, values...) {
			if slices.Contains(secrets, s) && !slices.Contains(leaked, s) {
				leaked = append(leaked, s)
			}
		}
		if len(leaked) != 0 {
			t.Errorf("%s's data directory holds %d of %d restricted values (contacts' phones and names, positions' encoded forms) in plain text: %q", name, len(leaked), len(secrets), leaked)
		}
		// The scan can find: the organisations (public) are there.
		for _, org := range public {
			if !slices.Contains(values, org) {
				t.Fatalf("%s's Badger values do not hold the organisation %q; the scan proves nothing", name, org)
			}
		}
	}
}

// positionForms returns the forms in which p's coordinates would be found
// in plain text: each as a CBOR float64, as the little-endian float of the
// views' snapshot, and in decimal.
func positionForms(p relief.Position) []string {
	var out []string
	for _, f := range []float64{p.Lat, p.Lon} {
		out = append(out,
			string(binary.BigEndian.AppendUint64([]byte{0xfb}, math.Float64bits(f))),
			string(binary.LittleEndian.AppendUint64(nil, math.Float64bits(f))),
			strconv.FormatFloat(f, 'f', -1, 64))
	}
	return out
}

// TestOwnerReadsFromTheClaim: a volunteer cannot open a demand's contacts
// until it claims the demand and a device that can open them (the
// coordinator's, through GrantPending) grants the key; then it can.
func TestOwnerReadsFromTheClaim(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	d := recordOne(t, coord.dk, "协和医院 N95")
	for _, act := range []string{"approve", "publish"} {
		if _, err := coord.dk.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := coord.dk.GrantPending(); err != nil || n != 0 {
		t.Fatalf("GrantPending before the claim = %d, %v; want nothing to grant", n, err)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	before, _ := vol.dk.Store().Demand(d.ID)
	if len(before.Contacts) != 0 || len(before.Sealed) != 1 {
		t.Fatalf("the volunteer reads %v before claiming; want the contacts sealed", before.Contacts)
	}
	if _, err := vol.dk.Act(ActInput{ID: d.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	if n, err := coord.dk.GrantPending(); err != nil || n != 1 {
		t.Fatalf("GrantPending after the claim = %d, %v; want one grant (to the owner)", n, err)
	}
	if n, err := coord.dk.GrantPending(); err != nil || n != 0 {
		t.Fatalf("GrantPending again = %d, %v; want nothing more (grants are written once)", n, err)
	}
	if n, err := vol.dk.GrantPending(d.ID); err != nil || n != 0 {
		t.Fatalf("the volunteer's GrantPending = %d, %v; want nothing: it cannot open the key", n, err)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	after, err := vol.dk.Store().Demand(d.ID)
	if err != nil || len(after.Contacts) != 1 || after.Contacts[0].Phone != "+8618900000000" || after.Sealed != nil {
		t.Fatalf("the owner reads %v (sealed %v), %v; want the requester's contact", after.Contacts, after.Sealed, err)
	}
}

// TestRevokedCannotOpenLaterValues: a reviewer reads the contacts written
// while it was cleared; after it is demoted, and another after it is
// revoked, values written afterwards are sealed under keys it never gets,
// even when its store receives every change.
func TestRevokedCannotOpenLaterValues(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"审核员丙": "reviewer", "审核员丁": "reviewer"})
	demoted, revoked := p["审核员丙"], p["审核员丁"]
	publish(t, demoted, coord)
	publish(t, revoked, coord)
	early := recordOne(t, coord.dk, "早先的需求")
	if err := coord.dk.Promote(demoted.id(), "volunteer"); err != nil {
		t.Fatal(err)
	}
	if err := coord.dk.Revoke(revoked.id(), "离开"); err != nil {
		t.Fatal(err)
	}
	late, err := coord.dk.RecordDemand(DemandInput{Title: "后来的需求", Category: "protective_equipment", District: "江汉区",
		Items: []ItemInput{item("N95口罩", "5000", "只")}, ContactName: "戊老师", ContactPhone: "139 0000 0001"})
	if err != nil {
		t.Fatal(err)
	}
	edited, err := coord.dk.EditDemand(early.ID, DemandInput{Title: early.Title, Category: early.Category, District: early.District,
		Items: []ItemInput{item("N95口罩", "5000", "只")}, ContactName: "己老师", ContactPhone: "139 0000 0002"})
	if err != nil || len(edited.Demand.Contacts) != 1 || edited.Demand.Contacts[0].Name != "己老师" {
		t.Fatalf("EditDemand = %+v, %v", edited.Demand.Contacts, err)
	}
	for name, peer := range map[string]*sealPeer{"demoted": demoted, "revoked": revoked} {
		var cs []*ledger.Change
		coord.dk.Store().ChangesSince(peer.dk.Store().VersionVector(), func(c *ledger.Change) error { cs = append(cs, c); return nil })
		if _, err := peer.dk.Store().ApplyRemote(cs); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{late.ID, early.ID} {
			d, err := peer.dk.Store().Demand(id)
			if err != nil || len(d.Contacts) != 0 || !slices.Contains(d.Sealed, relief.FieldContacts) {
				t.Errorf("the %s reviewer reads %s's contacts written afterwards: %v (sealed %v), %v; want them sealed", name, d.Title, d.Contacts, d.Sealed, err)
			}
		}
		// What it could read before stays what it was: the old key's wrap
		// is still its own (nothing can take back what it read).
		rec, _ := peer.dk.Store().Record(relief.KindDemand, early.ID)
		if !slices.ContainsFunc(rec.Grants, func(g relief.Grant) bool { return g.To.String() == peer.id() }) {
			t.Errorf("the %s reviewer holds no wrap of the early key; the test proves nothing", name)
		}
	}
	if d, _ := coord.dk.Store().Demand(late.ID); len(d.Contacts) != 1 {
		t.Fatalf("the coordinator reads %v; want the contact", d.Contacts)
	}
}

// TestKeepGrantingGrantsTheOwner: with KeepGranting running on the
// coordinator's device, a claim that arrives there is followed by a grant
// to the new owner without anyone asking.
func TestKeepGrantingGrantsTheOwner(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer"})
	vol := p["志愿者乙"]
	publish(t, vol, coord)
	d := recordOne(t, coord.dk, "协和医院 N95")
	for _, act := range []string{"approve", "publish"} {
		if _, err := coord.dk.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatal(err)
		}
	}
	stop := coord.dk.KeepGranting(t.Context(), nil)
	defer stop()
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	if _, err := vol.dk.Act(ActInput{ID: d.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	deadline := time.Now().Add(20 * time.Second)
	for {
		rec, err := coord.dk.Store().Record(relief.KindDemand, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(rec.Grants, func(g relief.Grant) bool { return g.To.String() == vol.id() }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no grant to the owner %s after 20 s of KeepGranting", vol.id())
		}
		time.Sleep(50 * time.Millisecond)
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	if got, _ := vol.dk.Store().Demand(d.ID); len(got.Contacts) != 1 {
		t.Fatalf("the owner reads %v; want the contact", got.Contacts)
	}
}

// TestEraseDemand: a coordinator erases a requester's contacts; after a
// sync, neither the coordinator's nor a reviewer's copy holds them, both say
// who erased them, when and why, and a volunteer may not erase.
func TestEraseDemand(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"审核员丙": "reviewer", "志愿者乙": "volunteer"})
	rev, vol := p["审核员丙"], p["志愿者乙"]
	publish(t, rev, coord)
	publish(t, vol, coord)
	d := recordOne(t, coord.dk, "协和医院 N95")
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	if got, _ := rev.dk.Store().Demand(d.ID); len(got.Contacts) != 1 {
		t.Fatalf("the reviewer reads %v before the erasure; want the contact", got.Contacts)
	}
	if dd, err := coord.dk.Demand(d.ID); err != nil || !dd.Erasable {
		t.Fatalf("the coordinator's Demand: Erasable %v, %v; want true (contacts to erase)", dd.Erasable, err)
	}
	if dd, err := rev.dk.Demand(d.ID); err != nil || dd.Erasable {
		t.Fatalf("the reviewer's Demand: Erasable %v, %v; want false (coordinators only)", dd.Erasable, err)
	}
	if _, err := coord.dk.EraseDemand(d.ID, " "); err == nil {
		t.Fatal("EraseDemand without a reason succeeded")
	}
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	if _, err := vol.dk.EraseDemand(d.ID, "想删除"); err == nil {
		t.Fatal("a volunteer's EraseDemand succeeded; want CodeNotAllowed")
	} else if code, _, _ := errCode(t, err); code != CodeNotAllowed {
		t.Fatalf("a volunteer's EraseDemand = %v; want %s", err, CodeNotAllowed)
	}
	det, err := coord.dk.EraseDemand(d.ID, "求助人要求删除个人信息")
	if err != nil {
		t.Fatal(err)
	}
	if det.Demand.Erased == nil || det.Demand.Erased.Reason != "求助人要求删除个人信息" || det.Demand.Erased.By.String() != coord.id() || len(det.Demand.Contacts) != 0 {
		t.Fatalf("after EraseDemand: erased %+v, contacts %v; want the erasure told and no contacts", det.Demand.Erased, det.Demand.Contacts)
	}
	if det.Erasable {
		t.Fatal("after EraseDemand: Erasable; want false (nothing left to erase)")
	}
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	got, err := rev.dk.Store().Demand(d.ID)
	if err != nil || len(got.Contacts) != 0 || len(got.Sealed) != 0 || got.Erased == nil || got.Erased.Reason != "求助人要求删除个人信息" || got.Title != d.Title {
		t.Fatalf("the reviewer's copy after the erasure = contacts %v sealed %v erased %+v title %q, %v; want the erasure, no contacts, the title kept",
			got.Contacts, got.Sealed, got.Erased, got.Title, err)
	}
	rec, _ := rev.dk.Store().Record(relief.KindDemand, d.ID)
	if len(rec.Grants) != 0 || len(relief.SealedValues(rec)) != 0 {
		t.Fatalf("the reviewer's record keeps %d grants and %d sealed values; want none", len(rec.Grants), len(relief.SealedValues(rec)))
	}
}

// TestSealedPeopleAfterSync: a volunteer's own profile (phone, emergency
// contact) and the 2020 Wuhan hotels imported as offers (their contacts)
// travel sealed: after a full sync, neither another volunteer's data
// directory nor an observer hub's holds one of those phone numbers or
// contact names (in the files as written, or in any Badger value), and
// their lists say the values are sealed; the coordinator and a reviewer
// who got the changes through the hub read them all, the volunteer reads
// their own profile.
func TestSealedPeopleAfterSync(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"志愿者乙": "volunteer", "志愿者丁": "volunteer", "hub": "observer", "审核员丙": "reviewer"})
	vol, other, hub, rev := p["志愿者乙"], p["志愿者丁"], p["hub"], p["审核员丙"]
	publish(t, rev, coord)
	publish(t, other, coord)
	peopleSync(t, coord.dk.Store(), vol.dk.Store())
	if _, err := vol.dk.SaveProfile(Profile{Name: "志愿者乙", Phone: "13912340001", EmergencyName: "王紧急", EmergencyPhone: "13912340002"}); err != nil {
		t.Fatal(err)
	}
	mine, err := vol.dk.MyProfile()
	if err != nil || len(mine.Contacts) != 1 || !strings.HasSuffix(mine.Contacts[0].Phone, "13912340001") || len(mine.Emergency) != 1 || mine.Emergency[0].Name != "王紧急" {
		t.Fatalf("the volunteer's own profile = contacts %v emergency %v, %v; want their phone and emergency contact", mine.Contacts, mine.Emergency, err)
	}
	peopleSync(t, vol.dk.Store(), coord.dk.Store())
	hotels, _ := readRaw(t, "wuhan2020/medic_hotels_wuhan.json")
	rep, err := coord.dk.Import(context.Background(), hotels, nil)
	if err != nil || rep.Created < 20 {
		t.Fatalf("Import(hotels) = %d created, %v; want the hotels", rep.Created, err)
	}
	secrets := []string{"13912340001", "13912340002", "王紧急"}
	var public []string
	offers, err := coord.dk.Store().Offers()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offers {
		if len(o.Sealed) != 0 {
			t.Fatalf("the coordinator's copy of offer %s has sealed %v; want every value opened", o.Code, o.Sealed)
		}
		for _, c := range o.Contacts {
			phone := strings.TrimPrefix(c.Phone, "+86")
			if len(phone) >= 7 && !slices.Contains(secrets, phone) && !strings.Contains(o.Supplier, phone) {
				secrets = append(secrets, phone)
			}
		}
		if len([]rune(o.Supplier)) >= 6 && !slices.Contains(public, o.Supplier) {
			public = append(public, o.Supplier)
		}
	}
	if len(secrets) < 20 || len(public) < 10 {
		t.Fatalf("%d phones and names, %d suppliers; want at least 20 and 10", len(secrets), len(public))
	}
	peopleSync(t, coord.dk.Store(), other.dk.Store())
	peopleSync(t, coord.dk.Store(), hub.dk.Store())
	peopleSync(t, hub.dk.Store(), rev.dk.Store())

	volunteerOf := func(peer *sealPeer) Volunteer {
		t.Helper()
		vs, err := peer.dk.Volunteers()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			if v.Key.String() == vol.id() {
				return v
			}
		}
		t.Fatalf("no volunteer profile of %s", vol.id())
		return Volunteer{}
	}
	for name, peer := range map[string]*sealPeer{"coordinator": coord, "reviewer": rev} {
		v := volunteerOf(peer)
		if len(v.Contacts) != 1 || len(v.Emergency) != 1 || v.Emergency[0].Name != "王紧急" || len(v.Sealed) != 0 {
			t.Fatalf("the %s reads the volunteer's contacts %v, emergency %v, sealed %v; want both opened", name, v.Contacts, v.Emergency, v.Sealed)
		}
	}
	want, _ := coord.dk.Store().Offers()
	got, err := rev.dk.Store().Offers()
	if err != nil || len(got) != len(want) {
		t.Fatalf("the reviewer's offers = %d, %v; want %d", len(got), err, len(want))
	}
	wantBy := map[string][]relief.Contact{}
	for _, o := range want {
		wantBy[o.ID] = o.Contacts
	}
	for _, o := range got {
		if !slices.Equal(o.Contacts, wantBy[o.ID]) {
			t.Fatalf("the reviewer's copy of offer %s (through the hub) = %v; want %v", o.Code, o.Contacts, wantBy[o.ID])
		}
	}
	// The other volunteer is told that the values are sealed.
	v := volunteerOf(other)
	if len(v.Contacts) != 0 || !slices.ContainsFunc(v.Hidden, func(h relief.Hidden) bool { return h.Field == "emergency" && h.Sealed }) {
		t.Fatalf("the other volunteer reads contacts %v, hidden %+v; want the emergency contact told as sealed", v.Contacts, v.Hidden)
	}
	os, err := other.dk.Offers("")
	if err != nil || len(os) == 0 {
		t.Fatalf("the other volunteer's offers = %d, %v", len(os), err)
	}
	if o := os[0]; len(o.Offer.Contacts) != 0 || !slices.ContainsFunc(o.Hidden, func(h relief.Hidden) bool { return h.Field == "contacts" && h.Sealed }) {
		t.Fatalf("the other volunteer's offer %s = contacts %v hidden %+v; want the contacts told as sealed", o.Offer.Code, o.Offer.Contacts, o.Hidden)
	}
	for name, peer := range map[string]*sealPeer{"volunteer": other, "hub": hub} {
		if err := peer.dk.Store().Close(); err != nil {
			t.Fatal(err)
		}
		files, values := secretsIn(t, peer.dir, append(slices.Clone(secrets), public...))
		var leaked []string
		for _, s := range append(files, values...) {
			if slices.Contains(secrets, s) && !slices.Contains(leaked, s) {
				leaked = append(leaked, s)
			}
		}
		if len(leaked) != 0 {
			t.Errorf("%s's data directory holds %d of %d volunteers' and offers' phones and names in plain text: %q", name, len(leaked), len(secrets), leaked)
		}
		for _, s := range public { // the scan can find: the suppliers (public) are there
			if !slices.Contains(values, s) {
				t.Fatalf("%s's Badger values do not hold the supplier %q; the scan proves nothing", name, s)
			}
		}
	}
}

// TestOwnerSeesEmergencyContactOfMissedCheckout: the owner of a demand, a
// volunteer, sends another volunteer into the field; the volunteer's
// emergency contact is sealed, so the owner cannot open it until a device
// that can (the volunteer's own, through GrantPending) grants it to them
// once the task is accepted. When the check-out is missed, the owner's
// alert then says whom to call.
func TestOwnerSeesEmergencyContactOfMissedCheckout(t *testing.T) {
	a, b, clk := clockedNetwork(t) // a coordinator, b the volunteer who goes out
	c := New(func() *store.Store {
		st, err := store.Open(t.TempDir(), store.Options{Clock: func() time.Time { return *clk }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}())
	n, _ := a.Store().Network()
	if err := a.Endorse(c.Status().Device, "volunteer", "丙"); err != nil {
		t.Fatal(err)
	}
	if err := c.Store().JoinNetwork(n.ID); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, a.Store(), c.Store())
	if _, err := c.EnsureKey(); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, c.Store(), a.Store())
	peopleSync(t, a.Store(), b.Store())
	if _, err := b.SaveProfile(Profile{Name: "乙", Phone: "13912345678", EmergencyName: "乙的妈妈", EmergencyPhone: "139 0000 0000"}); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, b.Store(), a.Store())
	d := recordOne(t, a, "送胰岛素")
	for _, act := range []string{"approve", "publish"} {
		if _, err := a.Act(called(ActInput{ID: d.ID, Action: act})); err != nil {
			t.Fatalf("Act(%s) = %v", act, err)
		}
	}
	peopleSync(t, a.Store(), c.Store())
	if _, err := c.Act(ActInput{ID: d.ID, Action: "claim"}); err != nil {
		t.Fatal(err)
	}
	task, err := c.OfferTask(d.ID, b.Status().Device, "driver")
	if err != nil {
		t.Fatal(err)
	}
	if _, err = c.PlanReturn(task.ID, clk.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, c.Store(), b.Store())
	for _, act := range []string{"accept", "check_in"} {
		if _, err := b.AnswerTask(task.ID, act); err != nil {
			t.Fatalf("AnswerTask(%s) = %v", act, err)
		}
	}
	peopleSync(t, b.Store(), c.Store())
	*clk = clk.Add(3 * time.Hour)
	alert := func() Pending {
		t.Helper()
		inbox, err := c.Inbox()
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(inbox, func(p Pending) bool { return p.What == relief.ReplyCheckout })
		if i < 0 || !inbox[i].Overdue {
			t.Fatalf("the owner's inbox = %+v; want the missed check-out", inbox)
		}
		return inbox[i]
	}
	if p := alert(); len(p.Contacts) != 0 {
		t.Fatalf("the owner reads %v before any grant; the emergency contact was not sealed", p.Contacts)
	}
	if n, err := b.GrantPending(); err != nil || n == 0 {
		t.Fatalf("the volunteer's GrantPending = %d, %v; want its profile's key granted to the owner", n, err)
	}
	peopleSync(t, b.Store(), c.Store())
	if p := alert(); len(p.Contacts) != 1 || p.Contacts[0].Name != "乙的妈妈" {
		t.Fatalf("the owner's missed check-out alert shows %v; want the volunteer's emergency contact", p.Contacts)
	}
	// the owner is cleared for the emergency contact only: with every
	// change of the volunteer's record on its device, it opens that and
	// not the volunteer's own phone (each sealed field group has its key)
	peopleSync(t, a.Store(), c.Store())
	peopleSync(t, b.Store(), c.Store())
	rec, err := c.Store().Record(relief.KindVolunteer, b.Store().MyVolunteerID())
	if err != nil {
		t.Fatal(err)
	}
	opened, closed := c.Store().Opener().Open(rec)
	if _, ok := opened[relief.FieldEmergencyContacts]; !ok {
		t.Fatalf("the owner opens %v of the volunteer's record; want the emergency contacts", slices.Collect(maps.Keys(opened)))
	}
	if _, ok := opened[relief.FieldContacts]; ok || !slices.Contains(closed, relief.FieldContacts) {
		t.Fatalf("the owner opens %v, cannot open %v; want the volunteer's contacts sealed to them", slices.Collect(maps.Keys(opened)), closed)
	}
	// the volunteer and the coordinator still open everything
	for name, dk := range map[string]*Desk{"volunteer": b, "coordinator": a} {
		peopleSync(t, b.Store(), dk.Store())
		rec, err := dk.Store().Record(relief.KindVolunteer, b.Store().MyVolunteerID())
		if err != nil {
			t.Fatal(err)
		}
		if opened, closed := dk.Store().Opener().Open(rec); len(closed) != 0 || len(opened) != 2 {
			t.Fatalf("the %s opens %v, cannot open %v; want the contacts and the emergency contacts", name, slices.Collect(maps.Keys(opened)), closed)
		}
	}
}

// TestEditDoesNotUndoAnErasure: a coordinator erases a requester's contacts
// while a reviewer, offline, edits them (having seen the old ones). Once
// they sync, the reviewer's edit is erased too on both devices (it was made
// without seeing the erasure), and the reviewer and the coordinators are
// told, instead of the erased person's data coming back silently (a tester
// saw the new phone in a restricted bulletin next to "erased").
func TestEditDoesNotUndoAnErasure(t *testing.T) {
	coord, p := sealNetwork(t, map[string]string{"审核员丙": "reviewer"})
	rev := p["审核员丙"]
	publish(t, rev, coord)
	d := recordOne(t, coord.dk, "协和医院 N95")
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	seen, err := rev.dk.Store().Demand(d.ID)
	if err != nil || len(seen.Contacts) != 1 {
		t.Fatalf("the reviewer reads %v, %v; want the contact", seen.Contacts, err)
	}
	if _, err := coord.dk.EraseDemand(d.ID, "求助人要求删除个人信息"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Millisecond) // the reviewer's edit comes after the erasure in total order
	in := formOf(seen)
	in.ContactName, in.ContactPhone = "陈女士", "13811112222"
	if _, err := rev.dk.EditDemand(d.ID, in); err != nil {
		t.Fatal(err)
	}
	peopleSync(t, coord.dk.Store(), rev.dk.Store())
	peopleSync(t, rev.dk.Store(), coord.dk.Store())
	for name, dk := range map[string]*Desk{"coordinator": coord.dk, "reviewer": rev.dk} {
		got, err := dk.Store().Demand(d.ID)
		if err != nil || got.Erased == nil || len(got.Contacts) != 0 || len(got.Sealed) != 0 {
			t.Errorf("%s: erased %+v, contacts %v, sealed %v, %v; want the erasure and no contact", name, got.Erased, got.Contacts, got.Sealed, err)
		}
		if !slices.ContainsFunc(got.Conflicts, func(c relief.Conflict) bool {
			return c.Reason == relief.ReasonErased && c.By.String() == rev.id()
		}) {
			t.Errorf("%s: conflicts %+v; want the reviewer's edit told as erased", name, got.Conflicts)
		}
	}
	// the records the apply path wrote are what the feeds make: a check
	// after reopening repairs nothing (a tester saw an erased and
	// concurrently edited demand "repaired" after an unclean stop)
	for name, p := range map[string]*sealPeer{"coordinator": coord, "reviewer": rev} {
		p.dk.Store().Close()
		st, err := store.Open(p.dir, store.Options{ValueLogGCInterval: -1, CheckEvery: -1})
		if err != nil {
			t.Fatal(err)
		}
		<-st.CheckDone()
		if r := st.Integrity(); r.Passes == 0 || r.Damaged() {
			t.Errorf("%s: check after reopening = %+v; want it run and nothing repaired", name, r)
		}
		st.Close()
	}
}
