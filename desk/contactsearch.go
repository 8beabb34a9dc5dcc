package desk

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"golang.org/x/text/width"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// The demand list's search of contacts. Contacts are sealed (relief.Sealable),
// so the store's text index never holds them; a coordinator with a caller on
// the line still looks the demand up by the caller's number or name. A member
// who may read contacts (relief.Clearance LevelRestricted: coordinators and
// reviewers) searches the contacts this device reads: the sealed ones it
// opens and the plain ones older versions wrote. contactSearch is that index,
// kept in memory per device, built at the first search that needs it and
// kept up to date from the store's events.

// contactSearch indexes, by demand id, the names and phone numbers of the
// contacts this device reads. It is built at the first search that needs it
// (reading every demand record) and then kept up to date from the store's
// events (Store.Subscribe, subscribed before that first read): at each
// search the demands changed since are read again, one record each. A
// subscriber that fell behind may have lost events (its buffer was full), and
// a large catch-up says only that the list was built: the index is built
// again then (the views built after an open change no record: no rebuild).
type contactSearch struct {
	mu     sync.Mutex
	tab    *contactTable // nil until built
	events <-chan store.Event
	stop   func() // ends the subscription of events
	// roster is the roster tab was read with (Store.Roster: replaced, never
	// changed, when a member record changes): the contacts shown are the
	// allowed writes', which a roster change may move, so another roster
	// builds tab again.
	roster *relief.Roster
	// building says that a build runs in the background (buildContacts);
	// built is closed when it ends. The searches meanwhile answer without
	// the contacts (or from the index built before, when there is one) and
	// say that the index is building.
	building bool
	built    chan struct{}
	// read counts the demand records the build under way has read.
	read atomic.Int64
	// err is the last build's error, told at the next search (which builds
	// again).
	err error
	// hook, when set (tests), is called by the build before it reads.
	hook func()
}

// SetContactBuildHook makes fn run at the start of every build of the
// contact index, before it reads (in the build's goroutine): for tests and
// the screenshots that must see the index building (app.EnvContactBuildDelay).
// nil removes it.
func (d *Desk) SetContactBuildHook(fn func()) {
	d.contacts.mu.Lock()
	defer d.contacts.mu.Unlock()
	d.contacts.hook = fn
}

// contactEntry is what the index keeps of one demand's contacts: their names
// (and the ids of WeChat, QQ and e-mail contacts) lower-cased, and their
// phone numbers as digits without the country code +86 (and QQ numbers'
// digits, found by a search of digits too), each followed by a 0 byte. 0 bytes never occur in a search (the query is cut at one).
type contactEntry struct {
	names  string
	phones string
}

// contactTable is the index in a compact form (≈ 100 bytes a demand, where a
// map of strings took 412 at 100,000 demands): the ids of the demands whose
// contacts this device reads, sorted, and for each the bytes of its entry in
// one buffer: its names, a 1 byte, its phones (contactEntry's strings).
type contactTable struct {
	ids  []string
	at   []uint32 // ids[i]'s entry is text[at[i]:end[i]]
	end  []uint32
	text []byte
	dead int // bytes of text no id points at any more (entries replaced)
}

// put appends e as id's entry, after every id held (the build, in id order).
func (t *contactTable) put(id string, e contactEntry) {
	t.ids = append(t.ids, strings.Clone(id)) // not a view of the record's bytes, which it would keep
	t.at = append(t.at, uint32(len(t.text)))
	t.text = append(append(append(t.text, e.names...), 1), e.phones...)
	t.end = append(t.end, uint32(len(t.text)))
}

// set makes e id's entry (ok), or drops id's (!ok).
func (t *contactTable) set(id string, e contactEntry, ok bool) {
	i, found := slices.BinarySearch(t.ids, id)
	switch {
	case !ok && !found:
		return
	case !ok:
		t.dead += int(t.end[i] - t.at[i])
		t.ids, t.at, t.end = slices.Delete(t.ids, i, i+1), slices.Delete(t.at, i, i+1), slices.Delete(t.end, i, i+1)
	case found:
		t.dead += int(t.end[i] - t.at[i])
		t.at[i] = uint32(len(t.text))
		t.text = append(append(append(t.text, e.names...), 1), e.phones...)
		t.end[i] = uint32(len(t.text))
	default:
		t.ids = slices.Insert(t.ids, i, strings.Clone(id))
		t.at = slices.Insert(t.at, i, uint32(len(t.text)))
		t.text = append(append(append(t.text, e.names...), 1), e.phones...)
		t.end = slices.Insert(t.end, i, uint32(len(t.text)))
	}
	if t.dead > len(t.text)/2 { // most of the buffer replaced: write it again
		var c contactTable
		for j, id := range t.ids {
			c.ids = append(c.ids, id)
			c.at = append(c.at, uint32(len(c.text)))
			c.text = append(c.text, t.text[t.at[j]:t.end[j]]...)
			c.end = append(c.end, uint32(len(c.text)))
		}
		*t = c
	}
}

// matching returns the ids whose phones (phone) or names (!phone) hold q.
func (t *contactTable) matching(q string, phone bool) []string {
	var out []string
	for i, id := range t.ids {
		e := t.text[t.at[i]:t.end[i]]
		k := bytes.IndexByte(e, 1)
		part := e[:k]
		if phone {
			part = e[k+1:]
		}
		if bytes.Contains(part, []byte(q)) {
			out = append(out, id)
		}
	}
	return out
}

// phoneSearch returns the digits a search is made of when it looks like a
// phone number: seven digits or more once spaces (full-width too), dashes,
// dots and brackets are dropped, a leading +86 or 0086 is dropped and the
// leading zeros of a trunk prefix ("027-…") too (the seven are counted after:
// "0000000123" is no phone search). ok is false otherwise. The digits are
// searched in phones and in QQ numbers (entryOf).
func phoneSearch(text string) (digits string, ok bool) {
	s := width.Narrow.String(strings.TrimSpace(text))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '+':
			b.WriteRune(r)
		case unicode.IsSpace(r) || strings.ContainsRune("-.()（）", r):
		default:
			return "", false
		}
	}
	s = b.String()
	switch {
	case strings.HasPrefix(s, "+86"):
		s = s[3:]
	case strings.HasPrefix(s, "0086"):
		s = s[4:]
	}
	s = strings.TrimPrefix(s, "+")
	if strings.Contains(s, "+") {
		return "", false
	}
	// the minimum is of the digits searched: seven zeros would search for
	// nothing, which every phone holds
	if s = strings.TrimLeft(s, "0"); len(s) < 7 {
		return "", false
	}
	return s, true
}

// phoneDigits returns the digits of a stored phone (E.164, an extension after
// ";ext=" dropped) without the country code +86.
func phoneDigits(phone string) string {
	phone, _, _ = strings.Cut(phone, ";")
	phone = strings.TrimPrefix(phone, "+86")
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
}

// entryOf makes the entry of contacts cs.
func entryOf(cs []relief.Contact) contactEntry {
	var names, phones strings.Builder
	for _, c := range cs {
		if n := strings.ToLower(strings.TrimSpace(c.Name)); n != "" {
			names.WriteString(n)
			names.WriteByte(0)
		}
		switch {
		case c.Phone == "":
		case c.Kind == "":
			phones.WriteString(phoneDigits(c.Phone))
			phones.WriteByte(0)
		case c.Kind == relief.ContactQQ:
			// digits: found by a phone search (7 digits or more) and, like
			// the other ids, by a search of part of it as a name
			phones.WriteString(strings.TrimLeft(phoneDigits(c.Phone), "0"))
			phones.WriteByte(0)
			fallthrough
		default: // a WeChat id, a QQ number, an e-mail address: searched as a name
			names.WriteString(strings.ToLower(c.Phone))
			names.WriteByte(0)
		}
	}
	return contactEntry{names: names.String(), phones: phones.String()}
}

// mayReadContacts reports whether this device's member may read every
// demand's contacts (a coordinator or reviewer not revoked).
func (d *Desk) mayReadContacts() bool {
	me, ok := d.st.Me()
	return ok && relief.Clearance(relief.Demand{}, me) == relief.LevelRestricted
}

// contactHits is what the search of contacts found (Desk.contactHits).
type contactHits struct {
	ids []string // the demands whose contacts hold the search, unsorted
	// building says that the index is being built: ids are those of the
	// index built before (none the first time).
	building bool
	read     int // demand records the build has read so far
}

// contactHits returns the demands whose contacts, as this device reads
// them, hold text: a phone number's digits (phoneSearch) within a phone's,
// else the text, lower-cased, within a name. It never waits for the index
// to be built: the first call starts the build in the background and
// answers building. Errors: CodeStorage when the records cannot be read
// (the last build's error, told once; the next search builds again).
func (d *Desk) contactHits(text string) (contactHits, error) {
	text = strings.TrimSpace(text)
	if text == "" || strings.IndexByte(text, 0) >= 0 {
		return contactHits{}, nil
	}
	ix := &d.contacts
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := d.refreshContacts(ix); err != nil {
		return contactHits{}, AsError(err)
	}
	out := contactHits{building: ix.building, read: int(ix.read.Load())}
	if ix.tab == nil {
		return out, nil
	}
	if digits, ok := phoneSearch(text); ok {
		out.ids = ix.tab.matching(digits, true)
	} else {
		out.ids = ix.tab.matching(strings.ToLower(text), false)
	}
	return out, nil
}

// refreshContacts brings ix up to date: built the first time (and after
// events may have been lost) in the background (buildContacts), else the
// demands the events since name read again. While a build runs it does
// nothing: the events wait for the build's end. Called with ix.mu held.
func (d *Desk) refreshContacts(ix *contactSearch) error {
	if ix.building {
		return nil
	}
	if err := ix.err; err != nil {
		ix.err = nil
		return err
	}
	changed, whole := map[string]bool{}, ix.tab == nil
	for !whole {
		if len(ix.events) == cap(ix.events) { // full: events may have been dropped since the last drain
			whole = true
			break
		}
		select {
		case ev, ok := <-ix.events:
			switch {
			case !ok, ev.Kind == store.EventDemandsBuilt, ev.Kind == store.EventDemand && ev.ID == "":
				whole = true
			case ev.Kind == store.EventDemand:
				changed[ev.ID] = true
			}
			continue
		default:
		}
		break
	}
	roster := d.st.Roster()
	if roster != ix.roster { // a member's role or revocation may allow or refuse contacts written
		whole = true
	}
	if !whole {
		opener := d.st.Opener()
		for id := range changed {
			rec, err := d.st.Record(relief.KindDemand, id)
			if errors.Is(err, store.ErrNotFound) {
				ix.tab.set(id, contactEntry{}, false)
				continue
			}
			if err != nil {
				return err
			}
			e, ok := contactEntryOf(opener, roster, rec)
			ix.tab.set(id, e, ok)
		}
		return nil
	}
	// subscribed (again) before the read: what changes during it is read
	// again at the first search after it
	if ix.stop != nil {
		ix.stop()
	}
	ix.events, ix.stop = d.st.Subscribe()
	ix.building, ix.built = true, make(chan struct{})
	ix.read.Store(0)
	built, hook := ix.built, ix.hook
	if !d.st.Background(func(stop <-chan struct{}) { d.buildContacts(ix, roster, hook, stop, built) }) {
		ix.building = false
		close(built)
		return errors.New("the store is closing: contacts not searched")
	}
	return nil
}

// errBuildStopped ends a build of the contact index when the store closes.
var errBuildStopped = errors.New("the store closed during the build of the contact index")

// buildContacts reads every demand record into a new contact index of the
// contacts their views show with roster, and makes it ix's (with roster); on an error it keeps the index before and leaves the error
// for the next search. It runs in the background (Store.Background) without
// ix.mu, and closes built when done.
func (d *Desk) buildContacts(ix *contactSearch, roster *relief.Roster, hook func(), stop <-chan struct{}, built chan struct{}) {
	defer close(built)
	if hook != nil {
		hook()
	}
	opener := d.st.Opener()
	tab := new(contactTable)
	err := d.st.EachDemandRecordParallel(func(rec *relief.Record) error { // in id order, decoded on every core
		select {
		case <-stop:
			return errBuildStopped
		default:
		}
		ix.read.Add(1)
		if e, ok := contactEntryOf(opener, roster, rec); ok {
			tab.put(rec.ID, e)
		}
		return nil
	})
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.building = false
	if err != nil {
		ix.err = fmt.Errorf("build the contact index: %w", err)
		return
	}
	ix.tab, ix.roster = tab, roster
}

// contactEntryOf returns the entry of the demand record rec: the contacts
// its view shows (relief.FoldDemandAllowed with roster), the sealed ones
// opened by opener from the allowed writes only (a refused write, such as a
// volunteer's phone for a demand it neither created nor owns, is never
// searched); false when it has none this device reads. A record that never
// had contacts written is not folded.
func contactEntryOf(opener relief.Opener, roster *relief.Roster, rec *relief.Record) (contactEntry, bool) {
	_, plain := rec.Fields[relief.FieldContacts]
	if _, sealed := rec.Fields[relief.SealedField(relief.FieldContacts)]; !plain && !sealed {
		return contactEntry{}, false
	}
	dm, allowed := relief.FoldDemandAllowed(rec, roster)
	if len(allowed.Grants) > 0 || len(relief.SealedValues(allowed)) > 0 { // as the store opens a demand (Store.Demand)
		opener.OpenDemand(allowed, &dm)
	}
	e := entryOf(dm.Contacts)
	return e, e.names != "" || e.phones != ""
}

// DemandPage is one page of the demand list (DemandsFound).
type DemandPage struct {
	// Demands are the page's demands, list views, in the list's order.
	Demands []relief.Demand
	// ByContact are the ids of Demands whose contacts hold the search (a
	// phone number or a contact's name), in the page's order: the list says
	// they were found by a contact, whose value it does not show.
	ByContact []string
	// ContactsSearched says that the search looked at the contacts too:
	// false without a search, or for a member who may not read contacts (the
	// list then says that contacts are sealed and not searched).
	ContactsSearched bool
	// ContactsBuilding says that the index of contacts is being built (the
	// first search of contacts on this device, or after a large
	// catch-up): the page holds no contact hits yet (or those of the index
	// before); the list says so and asks again. ContactsRead is how many
	// demand records the build has read so far.
	ContactsBuilding bool
	ContactsRead     int
}

// DemandsFound is Demands with what the search of contacts added: for a
// member who may read contacts (coordinators and reviewers), q.Text also
// finds the demands whose contacts hold it (see contactHits), counted in the
// total and ordered and paged with the others; the other filters apply to
// them. Errors: CodeStorage. Cost: the first such search starts the build
// of the contact index in the background (every demand record with contacts
// read, folded with the roster — the contacts its view shows — and its
// sealed contacts opened: seconds at 100,000 demands) and answers at once
// without the contact hits, ContactsBuilding set; so does the first after a
// roster change (with the index before meanwhile); the next ones read again
// only the demands changed since, then scan the index in memory
// (BENCHMARKS.md, issue 18).
func (d *Desk) DemandsFound(q DemandQuery) (DemandPage, int, error) {
	var out DemandPage
	var also []string
	if strings.TrimSpace(q.Text) != "" && d.mayReadContacts() {
		hits, err := d.contactHits(q.Text)
		if err != nil {
			return out, 0, err
		}
		also, out.ContactsSearched = hits.ids, true
		out.ContactsBuilding, out.ContactsRead = hits.building, hits.read
	}
	page, total, err := d.demandsPage(q, also)
	if err != nil {
		return out, 0, err
	}
	out.Demands = page
	if len(also) > 0 {
		in := make(map[string]bool, len(also))
		for _, id := range also {
			in[id] = true
		}
		for _, dm := range page {
			if in[dm.ID] {
				out.ByContact = append(out.ByContact, dm.ID)
			}
		}
	}
	return out, total, nil
}
