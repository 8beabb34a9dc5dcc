package relief

import (
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/reliefmesh/reliefmesh/ledger"
)

// Level grades a field: who may see it.
type Level int

// Levels, from most to least open.
const (
	LevelPublic     Level = iota // anyone: exports and the public bulletin
	LevelTeam                    // every active member
	LevelRestricted              // reviewers, coordinators and the entity's owner
)

// String returns "public", "team" or "restricted".
func (l Level) String() string {
	switch l {
	case LevelPublic:
		return "public"
	case LevelTeam:
		return "team"
	}
	return "restricted"
}

func parseLevel(s string) (Level, bool) {
	switch s {
	case "public":
		return LevelPublic, true
	case "team":
		return LevelTeam, true
	case "restricted":
		return LevelRestricted, true
	}
	return 0, false
}

// Hidden names a field that Project blanked, and why.
type Hidden struct {
	Field  string `json:"field"` // JSON name, dotted for nested fields: "history.args.note"
	Level  Level  `json:"level"`
	Reason string `json:"reason"` // e.g. "restricted to reviewers, coordinators and the owner"
	// Sealed: the value is sealed and this device cannot open it (see
	// SealedHidden); Reason is then SealedReason.
	Sealed bool `json:"sealed,omitempty"`
}

// Reason returns the English explanation of what level l needs.
func (l Level) Reason() string {
	switch l {
	case LevelTeam:
		return "visible to team members only"
	case LevelRestricted:
		return "restricted to reviewers, coordinators and the owner"
	}
	return ""
}

// Viewable is implemented by the views Project accepts: Demand, Volunteer, Offer,
// Task and Member.
type Viewable interface {
	// restrictedTo returns who counts as the owner for restricted fields: the
	// demand's owner, the volunteer themself, the offer's creator, the task's
	// volunteer, the member themself.
	restrictedTo() []ledger.DeviceID
}

// Clearance returns the highest level viewer may see of v: restricted for
// reviewers, coordinators and v's owner; team for other active members
// (observers included); public for the zero Member, revoked members and
// anything else.
func Clearance(v Viewable, viewer Member) Level {
	if viewer.Key.IsZero() || viewer.Revoked || !viewer.Role.Valid() {
		return LevelPublic
	}
	if viewer.Role == RoleCoordinator || viewer.Role == RoleReviewer || slices.Contains(v.restrictedTo(), viewer.Key) {
		return LevelRestricted
	}
	return LevelTeam
}

// Project returns a copy of v with every field above viewer's clearance (see
// Clearance) set to its zero value, and the list of fields hidden, with why.
// Levels come from the `level` struct tags of the views and of the structs they
// contain (a field without a tag has its parent's level). Exports use the zero
// Member and so carry public fields only.
func Project[T Viewable](v T, viewer Member) (T, []Hidden) {
	level := Clearance(v, viewer)
	out := reflect.ValueOf(&v).Elem()
	var hidden []Hidden
	project(out, "", level, &hidden)
	return v, hidden
}

var pkgPath = reflect.TypeOf(Level(0)).PkgPath()

// project blanks, in place, the fields of v (addressable) above max.
func project(v reflect.Value, path string, max Level, hidden *[]Hidden) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			c := reflect.New(v.Type().Elem())
			c.Elem().Set(v.Elem())
			v.Set(c)
			project(c.Elem(), path, max, hidden)
		}
	case reflect.Slice:
		if v.IsNil() || !containsStruct(v.Type().Elem()) {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		v.Set(c)
		for i := range c.Len() {
			project(c.Index(i), path, max, hidden)
		}
	case reflect.Struct:
		t := v.Type()
		if t.PkgPath() != pkgPath {
			return
		}
		for _, f := range fieldsOf(t) {
			name := func() string {
				if path != "" {
					return path + "." + f.name
				}
				return f.name
			}
			if f.leveled && f.level > max {
				fv := v.Field(f.index)
				if !fv.IsZero() {
					fv.SetZero()
					h := Hidden{Field: name(), Level: f.level, Reason: f.level.Reason()}
					if !slices.Contains(*hidden, h) {
						*hidden = append(*hidden, h)
					}
				}
				continue
			}
			if f.descend {
				project(v.Field(f.index), name(), max, hidden)
			}
		}
	}
}

// field is what project needs of an exported struct field: its index, JSON
// name, level tag, and whether project has anything to do in its values.
type field struct {
	index   int
	name    string // the JSON name, or the lower-cased Go name
	level   Level
	leveled bool // the field has a level tag
	descend bool // a pointer, slice or struct: project copies or descends into it
}

// fields caches fieldsOf by struct type (the tags are read once per type,
// not once per value projected).
var fields sync.Map // reflect.Type → []field

// fieldsOf returns the exported fields of struct type t, in order.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fields.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		l, ok := parseLevel(f.Tag.Get("level"))
		k := f.Type.Kind()
		fs = append(fs, field{index: i, name: name, level: l, leveled: ok,
			descend: k == reflect.Pointer || k == reflect.Slice || k == reflect.Struct})
	}
	fields.Store(t, fs)
	return fs
}

// containsStruct reports whether values of t may hold fields with levels.
func containsStruct(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t.PkgPath() == pkgPath
}
