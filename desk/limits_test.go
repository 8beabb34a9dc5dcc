package desk

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// han returns n 3-byte Chinese characters.
func han(n int) string { return strings.Repeat("需", n) }

// TestPeerAcceptsWhatFormAndImporterAccept: a demand whose every text is at
// relief's limit in 3-byte Chinese characters is recorded by the form, a row
// as long is imported (a longer one cut to the limits), an offer, the
// pipeline up to a receipt for the longest item name; a second store then
// accepts every one of those changes through ApplyRemote and holds the same
// texts.
func TestPeerAcceptsWhatFormAndImporterAccept(t *testing.T) {
	dk := newDesk(t, store.Options{})
	in := DemandInput{Title: han(relief.MaxTitle), Category: "protective_equipment", District: han(relief.MaxDistrict),
		RequesterOrg: han(relief.MaxOrg), Address: han(relief.MaxAddress), Description: han(relief.MaxDescription),
		ContactName: han(relief.MaxContactName), ContactPhone: "13800000000",
		Items: []ItemInput{{Name: han(relief.MaxItemName), Quantity: "5000", Unit: han(relief.MaxUnit)}}}
	for i := 1; i < relief.MaxContacts; i++ {
		in.MoreContacts = append(in.MoreContacts, ContactInput{Name: han(relief.MaxContactName - 1), Phone: fmt.Sprintf("139%08d", i)})
	}
	d, err := dk.RecordDemand(in)
	if err != nil {
		t.Fatalf("RecordDemand(every text at its limit) = %v; want recorded", err)
	}
	over := in
	over.Title += "需"
	if _, err := dk.RecordDemand(over); err == nil {
		t.Errorf("RecordDemand(title of %d characters) recorded; want too_long", relief.MaxTitle+1)
	}
	for _, a := range []ActInput{{Action: "approve", Note: "known hospital"}, {Action: "publish"}, {Action: "claim"},
		{Action: "deliver", Received: []ReceiptInput{{Item: han(relief.MaxItemName), Quantity: "10"}}},
		{Action: "reject", Note: han(relief.MaxText)}} {
		a.ID = d.ID
		if a.Action == "reject" { // on a second demand: rejecting needs collected or approved
			d2, err := dk.RecordDemand(in)
			if err != nil {
				t.Fatal(err)
			}
			a.ID = d2.ID
		}
		if _, err := dk.Act(a); err != nil {
			t.Fatalf("Act(%s) = %v", a.Action, err)
		}
	}
	if _, err := dk.RecordOffer(OfferInput{Supplier: han(relief.MaxOrg), Region: han(relief.MaxDistrict), ContactName: han(relief.MaxContactName),
		Items: []ItemInput{{Name: han(relief.MaxItemName), Unit: han(relief.MaxUnit)}}}); err != nil {
		t.Fatalf("RecordOffer(every text at its limit) = %v", err)
	}
	rows := []importer.Record{
		{Kind: relief.KindDemand, File: "sheet.csv", Row: 2, Key: "a", Source: "import:test:a", Org: strings.Repeat("院", relief.MaxTitle), Address: strings.Repeat("路", relief.MaxAddress),
			Items: []relief.Item{{Name: han(relief.MaxItemName), Spec: han(relief.MaxItemSpec), Unit: han(relief.MaxUnit)}}},
		{Kind: relief.KindDemand, File: "sheet.csv", Row: 3, Key: "b", Source: "import:test:b", Org: strings.Repeat("医", relief.MaxTitle+20), Address: strings.Repeat("街", relief.MaxAddress+20),
			Items: []relief.Item{{Name: han(relief.MaxItemName + 20)}}},
	}
	rep, err := dk.Import(t.Context(), rows, nil)
	if err != nil || rep.Created+rep.Flagged != 2 || rep.Rejected != 0 || len(rep.IDs) != 2 {
		t.Fatalf("Import(rows at and over the limits) = ids %v, %v; want both written", rep.IDs, err)
	}
	for i, id := range rep.IDs {
		got, err := dk.Store().Demand(id)
		if err != nil || utf8.RuneCountInString(got.Title) != relief.MaxTitle {
			t.Errorf("imported row %d title = %d characters, %v; want %d", i, utf8.RuneCountInString(got.Title), err, relief.MaxTitle)
		}
	}

	net, _ := dk.Store().Network()
	peer, err := store.Open(t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	if err := peer.JoinNetwork(net.ID); err != nil {
		t.Fatal(err)
	}
	var changes []*ledger.Change
	dk.Store().ChangesSince(peer.VersionVector(), func(c *ledger.Change) error { changes = append(changes, c); return nil })
	res, err := peer.ApplyRemote(changes)
	if err != nil || len(res.Rejected) != 0 || res.Applied != len(changes) {
		t.Fatalf("peer ApplyRemote(%d changes) = %+v, %v; want every change applied", len(changes), res, err)
	}
	got, err := peer.Demand(d.ID)
	if err != nil || got.Title != in.Title || got.Address != in.Address || !slices.Contains(got.Sealed, relief.FieldContacts) || got.Items[0].Received != 10 {
		t.Errorf("peer's copy of the demand = %d-character title, sealed %v, received %v, %v; want the form's, the contacts sealed (the peer is not cleared)",
			utf8.RuneCountInString(got.Title), got.Sealed, got.Items[0].Received, err)
	}
	if own, err := dk.Store().Demand(d.ID); err != nil || len(own.Contacts) != relief.MaxContacts {
		t.Errorf("the author's copy has %d contacts, %v; want %d", len(own.Contacts), err, relief.MaxContacts)
	}
}

// TestFormNeverExceedsAPeersCheck is a property: whatever a form sends,
// with texts of any characters (4-byte ones too) around every limit, a
// demand or an offer that the desk's validation accepts is an operation a
// peer's check (relief.ValidateOp, run by SetFields) accepts.
func TestFormNeverExceedsAPeersCheck(t *testing.T) {
	runes := []rune{'a', '需', '𠀀', ' ', '５'}
	text := func(t *rapid.T, label string, limit int) string {
		n := rapid.OneOf(rapid.IntRange(0, 3), rapid.IntRange(max(0, limit-2), limit+2)).Draw(t, label+"-len")
		r := rapid.SampledFrom(runes).Draw(t, label+"-rune")
		return "x" + strings.Repeat(string(r), max(0, n-1))
	}
	rapid.Check(t, func(t *rapid.T) {
		in := DemandInput{Title: text(t, "title", relief.MaxTitle), Category: "other", District: text(t, "district", relief.MaxDistrict),
			RequesterOrg: text(t, "org", relief.MaxOrg), Address: text(t, "address", relief.MaxAddress),
			Description: text(t, "description", relief.MaxDescription), ContactName: text(t, "contact", relief.MaxContactName)}
		for i := range rapid.IntRange(1, 3).Draw(t, "items") {
			in.Items = append(in.Items, ItemInput{Name: text(t, fmt.Sprint("item", i), relief.MaxItemName), Unit: text(t, fmt.Sprint("unit", i), relief.MaxUnit)})
		}
		if dm, err := ValidateDemand(in); err == nil {
			if _, err := relief.SetFields(relief.KindDemand, "d", demandFields(dm)); err != nil {
				t.Fatalf("ValidateDemand accepted what a peer refuses: %v", err)
			}
		}
		items, err := validateItems(in.Items)
		if err != nil || relief.TooLong(in.ContactName, relief.MaxContactName) {
			return
		}
		fields := map[string]any{relief.FieldSupplier: relief.Cut(in.RequesterOrg, relief.MaxOrg), relief.FieldItems: items,
			relief.FieldRegion: relief.Cut(in.District, relief.MaxDistrict), relief.FieldContacts: []relief.Contact{{Name: in.ContactName, Phone: "+8613800000000"}}}
		if _, err := relief.SetFields(relief.KindOffer, "o", fields); err != nil {
			t.Fatalf("an offer within the form's limits is refused by a peer: %v", err)
		}
	})
}
