package store

import (
	"github.com/reliefmesh/reliefmesh/relief"
)

// Courses returns the training courses (relief.FoldCourse with the current
// roster), in relief.SortCourses order; records holding only steps (their
// creation not held, or undone by a revocation cut) are left out. Errors: a
// read of Badger or a record that does not decode.
func (s *Store) Courses() ([]relief.Course, error) {
	roster := s.currentRoster()
	cs, err := foldAll(s, relief.KindCourse, func(rec *relief.Record) *relief.Course {
		if rec.First == nil {
			return nil
		}
		c := relief.FoldCourse(rec, roster)
		if c.Name == "" {
			return nil // no creation by a coordinator
		}
		return &c
	})
	if err != nil {
		return nil, err
	}
	out := make([]relief.Course, 0, len(cs))
	for _, c := range cs {
		if c != nil {
			out = append(out, *c)
		}
	}
	relief.SortCourses(out)
	return out, nil
}
