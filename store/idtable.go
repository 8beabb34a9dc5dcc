package store

import "hash/maphash"

// idTable maps the ids of a numbered set to their numbers (uint32) without
// holding the ids: the caller keeps them, by number, and gives the table a
// function that reads the id of a number (idOf). It is an open-addressing
// hash table with linear probing over one slice of uint64 cells, each the
// upper 32 bits of its id's hash and 1 + its number (0: an empty cell):
// 8 bytes a cell, no pointer, at most 3 cells of 4 in use. A Go map of
// string to uint32 cost about 46 bytes an id (its 16-byte string header,
// the number, the hash's control bytes, the slack of its groups): 13.9 MB
// for the duplicate-key view's 300,000 ids and 12.8 MB for the demand
// table's rows; this one costs 2 to 4 MB each. A lookup compares an id's
// string only when the 32 bits of its hash match (about once per lookup).
// It is not safe for concurrent use.
type idTable struct {
	cells []uint64 // len a power of two (or 0)
	n     int      // cells in use
}

// idSource reads the id of a number an idTable holds (the caller keeps the
// ids; a pointer to it is given, so that no call allocates a closure).
type idSource interface{ idOf(num uint32) string }

// idSeed is the seed of idTable's hashes (in memory only).
var idSeed = maphash.MakeSeed()

// idHash returns the upper 32 bits of id's hash, the part a cell keeps (a
// variable so that a test can make hashes collide).
var idHash = func(id string) uint32 { return uint32(maphash.String(idSeed, id) >> 32) }

// cellOf is a cell holding number num of an id of hash h.
func cellOf(h, num uint32) uint64 { return uint64(h)<<32 | uint64(num+1) }

// home returns the cell where an id of hash h is looked up first.
func (t *idTable) home(h uint32) int { return int(h) & (len(t.cells) - 1) }

// len returns the number of ids in the table.
func (t *idTable) len() int { return t.n }

// find returns the index of the cell of id (hash h), or of the empty cell
// where it would go, and whether it is there.
func (t *idTable) find(id string, h uint32, src idSource) (int, bool) {
	mask := len(t.cells) - 1
	for i := t.home(h); ; i = (i + 1) & mask {
		c := t.cells[i]
		if c == 0 {
			return i, false
		}
		if uint32(c>>32) == h && src.idOf(uint32(c)-1) == id {
			return i, true
		}
	}
}

// get returns the number of id; false when the table holds none.
func (t *idTable) get(id string, src idSource) (uint32, bool) {
	if t.n == 0 {
		return 0, false
	}
	i, ok := t.find(id, idHash(id), src)
	if !ok {
		return 0, false
	}
	return uint32(t.cells[i]) - 1, true
}

// set makes num the number of id (num < 1<<32-1), replacing the number it
// had. src is asked only the ids of numbers held already.
func (t *idTable) set(id string, num uint32, src idSource) {
	t.reserve(t.n + 1)
	h := idHash(id)
	i, ok := t.find(id, h, src)
	if !ok {
		t.n++
	}
	t.cells[i] = cellOf(h, num)
}

// reserve makes room for n ids without growing again. Growing keeps the
// cells' hashes: no id is read.
func (t *idTable) reserve(n int) {
	if n*4 <= len(t.cells)*3 {
		return
	}
	size := 16
	for n*4 > size*3 {
		size *= 2
	}
	old := t.cells
	t.cells = make([]uint64, size)
	mask := size - 1
	for _, c := range old {
		if c == 0 {
			continue
		}
		i := t.home(uint32(c >> 32))
		for t.cells[i] != 0 {
			i = (i + 1) & mask
		}
		t.cells[i] = c
	}
}

// del removes id and reports whether the table held it. The cells after
// it that probed past it move back (no tombstones: a table that loses and
// gains rows for months stays as fast).
func (t *idTable) del(id string, src idSource) bool {
	if t.n == 0 {
		return false
	}
	i, ok := t.find(id, idHash(id), src)
	if !ok {
		return false
	}
	mask := len(t.cells) - 1
	for j := (i + 1) & mask; t.cells[j] != 0; j = (j + 1) & mask {
		// The cell at j may fill the hole at i unless its home lies
		// cyclically in (i, j]: then it would be found before reaching i.
		k := t.home(uint32(t.cells[j] >> 32))
		if (j > i && (k <= i || k > j)) || (j < i && k <= i && k > j) {
			t.cells[i] = t.cells[j]
			i = j
		}
	}
	t.cells[i] = 0
	t.n--
	return true
}
