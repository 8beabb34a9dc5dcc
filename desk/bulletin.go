package desk

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/reliefmesh/reliefmesh/bulletin"
	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// Bulletin is what a bulletin holds, for bulletin.WriteWith: the demands and
// the member it is written for.
type Bulletin struct {
	// Demands are list views (no history), newest first as the demand list
	// orders them.
	Demands []relief.Demand
	// Unpublished counts the demands left out because they are not published
	// yet (collected or approved); 0 when they are included.
	Unpublished int
	// Viewer is this device's member (the zero Member before it is one):
	// bulletin.Options.Viewer, who must be cleared for a team or restricted
	// bulletin.
	Viewer relief.Member
}

// BulletinCount is how many demands a bulletin would hold now: Demands
// (published or in progress) and Unpublished (collected or approved, so left
// out until a reviewer publishes them). Closed demands are in neither.
type BulletinCount struct {
	Demands     int
	Unpublished int
}

// bulletinStatuses are the statuses of the demands a bulletin holds, and
// unpublishedStatuses those it leaves out until they are published.
var (
	bulletinStatuses    = []relief.Status{relief.StatusPublished, relief.StatusInProgress}
	unpublishedStatuses = []relief.Status{relief.StatusCollected, relief.StatusApproved}
)

// BulletinCount returns how many demands a bulletin would hold now, and how
// many are left out as not yet published, from the store's counts per status
// (no demand is read).
func (d *Desk) BulletinCount() BulletinCount {
	counts := d.st.DemandCounts()
	var c BulletinCount
	for _, s := range bulletinStatuses {
		c.Demands += counts[s]
	}
	for _, s := range unpublishedStatuses {
		c.Unpublished += counts[s]
	}
	return c
}

// Bulletin returns the demands of a bulletin: the published and in-progress
// ones, or every demand (closed ones too) with includeUnpublished, as a
// practice network or a test wants. It reads the store's in-memory demand
// list (one query per status), never the records in Badger. Errors: storage
// errors.
func (d *Desk) Bulletin(includeUnpublished bool) (Bulletin, error) {
	me, _ := d.st.Me()
	if includeUnpublished {
		all, err := d.st.Demands(store.DemandQuery{})
		if err != nil {
			return Bulletin{}, AsError(err)
		}
		return Bulletin{Demands: all, Viewer: me}, nil
	}
	var lists [][]relief.Demand
	n := 0
	for _, s := range bulletinStatuses {
		ds, err := d.st.Demands(store.DemandQuery{Status: s})
		if err != nil {
			return Bulletin{}, AsError(err)
		}
		lists = append(lists, ds)
		n += len(ds)
	}
	b := Bulletin{Demands: mergeNewestFirst(lists[0], lists[1], n), Viewer: me}
	counts := d.st.DemandCounts()
	for _, s := range unpublishedStatuses {
		b.Unpublished += counts[s]
	}
	return b, nil
}

// mergeNewestFirst merges two lists in the demand list's order (newest
// first, ties by ascending id) into one of capacity n.
func mergeNewestFirst(a, b []relief.Demand, n int) []relief.Demand {
	out := make([]relief.Demand, 0, n)
	for len(a) > 0 && len(b) > 0 {
		if newerFirst(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// newerFirst orders demands as the demand list does: newest first, of two
// created at the same stamp the one with the smaller id first.
func newerFirst(a, b relief.Demand) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// BulletinLevels returns the bulletin levels this device's member may ask
// for, lowest first: always public; team for an active member; restricted
// for an active coordinator or reviewer (relief.Clearance of a demand the
// member does not own). A volunteer who owns every exported demand is also
// cleared for restricted by bulletin.WriteWith, but it is not offered.
func (d *Desk) BulletinLevels() []relief.Level {
	me, _ := d.st.Me()
	out := []relief.Level{relief.LevelPublic}
	switch relief.Clearance(relief.Demand{}, me) {
	case relief.LevelRestricted:
		out = append(out, relief.LevelTeam, relief.LevelRestricted)
	case relief.LevelTeam:
		out = append(out, relief.LevelTeam)
	}
	return out
}

// levels are the bulletin levels, lowest first.
var levels = []relief.Level{relief.LevelPublic, relief.LevelTeam, relief.LevelRestricted}

// ParseLevel reads a bulletin level as the app and the hub take it:
// "public" (also "", the default), "team" or "restricted". Errors: *Error
// with CodeInvalid naming "level".
func ParseLevel(s string) (relief.Level, error) {
	if s == "" {
		return relief.LevelPublic, nil
	}
	for _, l := range levels {
		if s == l.String() {
			return l, nil
		}
	}
	return 0, FieldError(CodeInvalid, "level", "%q is not public, team or restricted", s)
}

// BulletinRequest says which bulletin WriteBulletin writes.
type BulletinRequest struct {
	Format string // one of bulletin.Formats: csv, xlsx, hxl, json or text
	Level  string // ParseLevel: public (also ""), team or restricted
	Lang   string // the bulletin's language (bulletin.Options.Lang), one of bulletin.Langs ("": the first)
	// IncludeUnpublished puts every demand in (Bulletin(true)), as a
	// practice network or a test wants.
	IncludeUnpublished bool
	// Now is when the bulletin is exported, for the XLSX metadata sheet
	// (the zero time: the clock now).
	Now time.Time
	// SigName is the name of the signature file the caller writes beside
	// the bulletin (SignBulletin), for the XLSX metadata sheet; "" none.
	SigName string
}

// WriteBulletin writes to w the bulletin r asks for, as this device's member
// (Bulletin, bulletin.WriteWith). It is built whole in memory first, so w
// gets nothing when it fails (level, clearance, format). It returns the
// bulletin written (its demands and the count left out as unpublished).
// Errors: *Error with CodeInvalid naming "format", "level" or "lang";
// CodeNotAllowed naming "level" when the member is not cleared for it;
// CodeStorage for the store's and w's errors.
func (d *Desk) WriteBulletin(w io.Writer, r BulletinRequest) (Bulletin, error) {
	lvl, err := ParseLevel(r.Level)
	if err != nil {
		return Bulletin{}, err
	}
	if !slices.Contains(bulletin.Formats, r.Format) {
		return Bulletin{}, FieldError(CodeInvalid, "format", "%q is not one of %s", r.Format, strings.Join(bulletin.Formats, ", "))
	}
	if r.Lang != "" && !slices.Contains(bulletin.Langs, r.Lang) {
		return Bulletin{}, FieldError(CodeInvalid, "lang", "%q is not one of %s", r.Lang, strings.Join(bulletin.Langs, ", "))
	}
	b, err := d.Bulletin(r.IncludeUnpublished)
	if err != nil {
		return Bulletin{}, err
	}
	var dups map[string]string
	if lvl >= relief.LevelTeam {
		d.openSealed(b.Demands)
		dups = d.duplicateCodes(b.Demands)
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	about := bulletin.About{Exported: now, Member: b.Viewer.Name, Unpublished: b.Unpublished, Signature: r.SigName}
	if !b.Viewer.Key.IsZero() {
		about.MemberID = b.Viewer.Key.String()
	}
	if n, ok := d.st.Network(); ok {
		about.Network, about.NetworkID = n.Name, n.ID
	}
	var buf bytes.Buffer
	if err := bulletin.WriteWith(&buf, b.Demands, bulletin.Options{Format: r.Format, Level: lvl, Viewer: b.Viewer, Lang: r.Lang, Duplicates: dups, About: about}); err != nil {
		if errors.Is(err, bulletin.ErrNotCleared) {
			who := "only coordinators and reviewers, or the owner of every demand in it, may export a restricted bulletin"
			if lvl == relief.LevelTeam {
				who = "only active members may export a team bulletin"
			}
			return Bulletin{}, &Error{Code: CodeNotAllowed, Field: "level", Message: fmt.Sprintf("level %s: %s (%v)", lvl, who, err)}
		}
		return Bulletin{}, FieldError(CodeInvalid, "format", "%v", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return Bulletin{}, &Error{Code: CodeStorage, Message: fmt.Sprintf("write bulletin: %v", err)}
	}
	return b, nil
}

// duplicateCodes returns the duplicate flag of each of demands that has one,
// as bulletin.Options.Duplicates takes them (demand id → the original's
// code): the flag every peer keeps (store.Store.DuplicateFlags), else an
// import's (importer.TagPossibleDuplicate, its note naming the original).
func (d *Desk) duplicateCodes(demands []relief.Demand) map[string]string {
	flags := d.st.DuplicateFlags()
	out := map[string]string{}
	codes := map[string]string{} // original id → code, read once each
	for _, dm := range demands {
		if o, ok := flags[dm.ID]; ok {
			c, seen := codes[o]
			if !seen {
				if od, err := d.st.Demand(o); err == nil {
					c = od.Code
				}
				codes[o] = c
			}
			if c != "" {
				out[dm.ID] = c
			}
			continue
		}
		if slices.Contains(dm.Tags, relief.TagPossibleDuplicate) {
			if c, _, ok := importer.NoteOriginal(dm.ReviewNotes); ok {
				out[dm.ID] = c
			}
		}
	}
	return out
}

// openSealed fills the sealed values (contacts, review notes) of ds, list
// rows that hold none, with what this device opens (Store.Demand): a team
// or restricted bulletin uses only those; what it cannot open stays blank.
// It costs a record read and a key unwrap per sealed demand.
func (d *Desk) openSealed(ds []relief.Demand) {
	for i := range ds {
		full, err := d.st.Demand(ds[i].ID)
		if err != nil {
			continue
		}
		ds[i].Contacts, ds[i].ReviewNotes, ds[i].Sealed = full.Contacts, full.ReviewNotes, full.Sealed
	}
}
