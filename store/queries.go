package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/go-memdb"

	"github.com/reliefmesh/reliefmesh/relief"
)

// ErrNotFound is returned when no entity has the id asked for.
var ErrNotFound = errors.New("not found")

// DemandQuery selects demands; empty fields match everything. Text matches, as a
// case-insensitive substring, the title, code, district, requester organisation,
// address and item names (Chinese text included: no word splitting is needed for
// a substring).
type DemandQuery struct {
	Status   relief.Status
	Category string
	District string
	Owner    string // member id
	Text     string
}

// Demands returns the demands matching q, newest first. It answers from the
// in-memory indexes: the most selective index set in q is scanned and the other
// conditions filtered.
func (s *Store) Demands(q DemandQuery) ([]relief.Demand, error) {
	txn := s.idx.Txn(false)
	var it memdb.ResultIterator
	var err error
	switch {
	case q.Owner != "":
		it, err = txn.Get(tableDemand, "owner", q.Owner)
	case q.Status != "":
		it, err = txn.Get(tableDemand, "status", string(q.Status))
	case q.District != "":
		it, err = txn.Get(tableDemand, "district", q.District)
	case q.Category != "":
		it, err = txn.Get(tableDemand, "category", q.Category)
	default:
		it, err = txn.Get(tableDemand, "id")
	}
	if err != nil {
		return nil, fmt.Errorf("query demands: %w", err)
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var out []relief.Demand
	for obj := it.Next(); obj != nil; obj = it.Next() {
		r := obj.(*demandRow)
		if (q.Status != "" && r.Status != string(q.Status)) || (q.Category != "" && r.Category != q.Category) ||
			(q.District != "" && r.District != q.District) || (q.Owner != "" && r.Owner != q.Owner) ||
			(text != "" && !strings.Contains(r.Text, text)) {
			continue
		}
		out = append(out, r.View)
	}
	slices.SortFunc(out, func(a, b relief.Demand) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Demand returns one demand by id; ErrNotFound if there is none.
func (s *Store) Demand(id string) (relief.Demand, error) {
	obj, err := s.idx.Txn(false).First(tableDemand, "id", id)
	if err != nil {
		return relief.Demand{}, fmt.Errorf("demand %s: %w", id, err)
	}
	if obj == nil {
		return relief.Demand{}, fmt.Errorf("demand %s: %w", id, ErrNotFound)
	}
	return obj.(*demandRow).View, nil
}

// DemandCounts returns the number of demands in each status (statuses with none
// are absent).
func (s *Store) DemandCounts() map[relief.Status]int {
	out := map[relief.Status]int{}
	it, err := s.idx.Txn(false).Get(tableDemand, "id")
	if err != nil {
		return out
	}
	for obj := it.Next(); obj != nil; obj = it.Next() {
		out[relief.Status(obj.(*demandRow).Status)]++
	}
	return out
}
