package store

import (
	"maps"
	"slices"
)

// keyLists holds the duplicate-key view's lists: by key hash, the numbers
// of the originals that yield the key. A map of a slice a key cost about
// 55 bytes a key besides the numbers (most keys are one demand's own
// phone, a list of one), about 45 bytes a demand at 300,000 demands. So
// the lists of the open's bulk build are frozen into three arrays (the
// hashes sorted, where each key's numbers end, the numbers: 16 bytes a key
// of one number), and a key changed since is copied whole into a small map
// (over) that is read before them. When that map grows past the frozen
// keys (and keyOverMin), both are frozen again into new arrays: a catch-up
// that brings every demand after the open's build pays that copy a
// logarithmic number of times, and its lists end frozen too.
//
// A list read (get, frozen) must not be modified: a frozen list has no room
// beyond its length (an append or Insert copies it), and set takes
// ownership of the list it is given.
type keyLists struct {
	hashes []uint64 // sorted, distinct
	ends   []uint32 // ends[i]: where the numbers of hashes[i] end in nums; they start at ends[i-1] (0 for the first)
	nums   []uint32
	// over holds, for each key changed since the last freeze, its whole
	// list (empty when no original yields it any more): it hides the
	// frozen list of the same hash.
	over map[uint64][]uint32
}

// keyOverMin is the number of changed keys below which keyLists never
// freezes again (a variable so that a test can make it small).
var keyOverMin = 4096

// frozen returns the frozen list of key h (nil when none), with no room
// beyond its length.
func (k *keyLists) frozen(h uint64) []uint32 {
	i, ok := slices.BinarySearch(k.hashes, h)
	if !ok {
		return nil
	}
	start := uint32(0)
	if i > 0 {
		start = k.ends[i-1]
	}
	return k.nums[start:k.ends[i]:k.ends[i]]
}

// get returns the numbers of key h (nil or empty when none). The caller
// must not modify them.
func (k *keyLists) get(h uint64) []uint32 {
	if l, ok := k.over[h]; ok {
		return l
	}
	return k.frozen(h)
}

// set makes l the numbers of key h; l is keyLists' from now on.
func (k *keyLists) set(h uint64, l []uint32) {
	if k.over == nil {
		k.over = map[uint64][]uint32{}
	}
	k.over[h] = l
	if len(k.over) > max(keyOverMin, len(k.hashes)) {
		k.freeze()
	}
}

// all calls yield with every key and its list, in the order of the hashes
// (the changed keys' lists in place of the frozen ones, empty lists too).
func (k *keyLists) all() func(yield func(uint64, []uint32) bool) {
	return func(yield func(uint64, []uint32) bool) {
		changed := slices.Sorted(maps.Keys(k.over))
		i, j := 0, 0
		for i < len(k.hashes) || j < len(changed) {
			var h uint64
			switch {
			case j == len(changed) || (i < len(k.hashes) && k.hashes[i] < changed[j]):
				h = k.hashes[i]
				i++
				if !yield(h, k.frozen(h)) {
					return
				}
				continue
			case i < len(k.hashes) && k.hashes[i] == changed[j]:
				i++ // hidden by the changed list
			}
			h = changed[j]
			j++
			if !yield(h, k.over[h]) {
				return
			}
		}
	}
}

// freeze moves every list into the frozen arrays (empty lists are dropped)
// and empties the map of changed keys.
func (k *keyLists) freeze() {
	keys, total := 0, 0
	for _, l := range k.all() {
		if len(l) > 0 {
			keys++
			total += len(l)
		}
	}
	hashes := make([]uint64, 0, keys)
	ends := make([]uint32, 0, keys)
	nums := make([]uint32, 0, total)
	for h, l := range k.all() {
		if len(l) == 0 {
			continue
		}
		hashes = append(hashes, h)
		nums = append(nums, l...)
		ends = append(ends, uint32(len(nums)))
	}
	k.hashes, k.ends, k.nums, k.over = hashes, ends, nums, nil
}
