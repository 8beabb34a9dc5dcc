package desk

import (
	"errors"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// Refused writes of volunteers and offers reach the inbox as a demand's do
// (relief.RecordNotices): one entry per refused change, for its author and
// the coordinators, until one of them acknowledges it (AckRecordConflict).

// recordConflicts returns the conflicts of the volunteer or offer kind/id
// as this device folds them, and its code. Errors: *Error CodeNotFound
// naming "id"; CodeInvalid naming "kind" for another kind; CodeStorage.
func (d *Desk) recordConflicts(kind, id string) ([]relief.Conflict, string, error) {
	switch kind {
	case relief.KindVolunteer:
		vs, err := d.st.VolunteersByID([]string{id})
		if err != nil {
			return nil, "", AsError(err)
		}
		if len(vs) != 1 || vs[0].CreatedAt == (ledger.Stamp{}) {
			return nil, "", &Error{Code: CodeNotFound, Field: "id", Message: "no volunteer " + id}
		}
		return vs[0].Conflicts, vs[0].Code, nil
	case relief.KindOffer:
		of, err := d.st.Offer(id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, "", &Error{Code: CodeNotFound, Field: "id", Message: "no offer " + id}
		}
		if err != nil {
			return nil, "", AsError(err)
		}
		return of.Conflicts, of.Code, nil
	}
	return nil, "", FieldError(CodeInvalid, "kind", "%q is neither a volunteer nor an offer", kind)
}

// AckRecordConflict acknowledges the refused write ref (a conflict's ref or
// its change's, as the inbox entry names it) of the volunteer or offer
// kind/id as this device's member, so that its entry leaves every inbox
// (relief.ActionAckConflict on the record). The refused write's author and
// coordinators may. Errors: CodeRequired naming "ref"; CodeInvalid naming
// "kind", or "ref" when the record has no such conflict still open;
// CodeNotFound naming "id"; CodeNotAllowed naming "action" for anyone else
// (nothing is stored); those of apply.
func (d *Desk) AckRecordConflict(kind, id, ref string) error {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return FieldError(CodeRequired, "ref", "no conflict named")
	}
	cs, code, err := d.recordConflicts(kind, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(cs, func(c relief.Conflict) bool { return relief.AckCovers(c, ref) && c.AckedBy.IsZero() })
	if i < 0 {
		return FieldError(CodeInvalid, "ref", "%s has no open conflict %q", code, ref)
	}
	me, _ := d.st.Me()
	if me.Key.IsZero() || me.Revoked || (me.Role != relief.RoleCoordinator && me.Key != cs[i].By &&
		!(cs[i].Reason == relief.ReasonConcurrent && cs[i].Winner == me.Key)) {
		return &Error{Code: CodeNotAllowed, Field: "action",
			Message: "only the refused write's author or a coordinator may acknowledge it on " + code}
	}
	op, err := relief.Transition(kind, id, relief.ActionAckConflict, relief.Args{Ref: ref})
	if err != nil {
		return &Error{Code: CodeInvalid, Field: "ref", Message: "ack_conflict on " + code + ": " + err.Error()}
	}
	_, err = d.apply([]ledger.Op{op})
	return err
}

// recordTitles fills the titles of the entries of ps about volunteers (their
// name) and offers (their supplier): they have no demand.
func (d *Desk) recordTitles(ps []Pending) {
	for i := range ps {
		switch ps[i].Kind {
		case relief.KindVolunteer:
			if vs, err := d.st.VolunteersByID([]string{ps[i].ID}); err == nil && len(vs) == 1 {
				ps[i].Title = vs[0].Name
			}
		case relief.KindOffer:
			if of, err := d.st.Offer(ps[i].ID); err == nil {
				ps[i].Title = of.Supplier
			}
		}
	}
}
