package relief

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// CatalogItem is one canonical supply of the item catalog: what demands and
// offers name in many ways ("N95", "N95口罩", "医用防护口罩 | N95口罩") and
// matching treats as one thing. (A demand's or an offer's line is an Item; a
// CatalogItem is what that line's name resolves to.)
type CatalogItem struct {
	ID       string   `json:"id"`       // stable code, e.g. "mask_n95"; the UI translates "item.<id>"
	Zh       string   `json:"zh"`       // Chinese name, e.g. "医用防护口罩（N95）"
	En       string   `json:"en"`       // English name, e.g. "N95 respirator"
	Unit     string   `json:"unit"`     // default unit code: piece, pair, set, bottle, box, pack, roll, kit or unit
	Category string   `json:"category"` // one of Categories
	Aliases  []string `json:"aliases"`  // other names; ID, Zh and En are aliases too
}

// Catalog resolves free-text supply names to CatalogItems. It is immutable once
// built and safe for concurrent use. Build one with NewCatalog or use
// DefaultCatalog.
type Catalog struct {
	items    []CatalogItem
	byID     map[string]int
	byAlias  map[string]int // normalised alias → index in items
	maxAlias int            // longest normalised alias, in bytes
}

// Resolution is one part of a free-text list resolved by Catalog.ResolveList:
// the text of the part as written and, if OK, the item it names.
type Resolution struct {
	Text string      `json:"text"` // the part, trimmed, as written (after width folding)
	Item CatalogItem `json:"item"` // zero unless OK
	OK   bool        `json:"ok"`
}

//go:embed catalog_seed.json
var catalogSeed []byte

var defaultCatalog = sync.OnceValue(func() *Catalog {
	var items []CatalogItem
	if err := json.Unmarshal(catalogSeed, &items); err != nil {
		panic(fmt.Sprintf("relief: catalog seed: %v", err))
	}
	c, err := NewCatalog(items)
	if err != nil {
		panic(fmt.Sprintf("relief: catalog seed: %v", err))
	}
	return c
})

// DefaultCatalog returns the built-in catalog, seeded from the supplies named in
// the Wuhan 2020 hospital sheets (masks by grade, protective clothing, eye and face
// protection, gloves, shoe and boot covers, caps, disinfectants, thermometers,
// test kits, ventilators and other devices, and basic food and daily goods). It is
// the same value on every call.
func DefaultCatalog() *Catalog { return defaultCatalog() }

// NewCatalog builds a catalog from items. It fails if an item has no ID, a
// duplicate ID, an unknown category (see ValidCategory), or if two items share a
// name or alias once normalised (see NormalizeName); an item may repeat its own.
func NewCatalog(items []CatalogItem) (*Catalog, error) {
	c := &Catalog{byID: make(map[string]int, len(items)), byAlias: make(map[string]int)}
	for i, it := range items {
		if it.ID == "" {
			return nil, fmt.Errorf("catalog item %d: no id", i)
		}
		if _, dup := c.byID[it.ID]; dup {
			return nil, fmt.Errorf("catalog item %s: duplicate id", it.ID)
		}
		if !ValidCategory(it.Category) {
			return nil, fmt.Errorf("catalog item %s: unknown category %q", it.ID, it.Category)
		}
		it.Aliases = slices.Clone(it.Aliases)
		c.byID[it.ID] = i
		for _, a := range append([]string{it.ID, it.Zh, it.En}, it.Aliases...) {
			if a == "" {
				continue
			}
			key := NormalizeName(a)
			if key == "" {
				return nil, fmt.Errorf("catalog item %s: alias %q is empty once normalised", it.ID, a)
			}
			if j, taken := c.byAlias[key]; taken && j != i {
				return nil, fmt.Errorf("catalog item %s: alias %q already names %s", it.ID, a, items[j].ID)
			}
			c.byAlias[key] = i
			c.maxAlias = max(c.maxAlias, len(key))
		}
		c.items = append(c.items, it)
	}
	return c, nil
}

// Items returns the catalog's items in the order they were given.
func (c *Catalog) Items() []CatalogItem {
	out := make([]CatalogItem, len(c.items))
	for i, it := range c.items {
		it.Aliases = slices.Clone(it.Aliases)
		out[i] = it
	}
	return out
}

// Item returns the item with the given ID.
func (c *Catalog) Item(id string) (CatalogItem, bool) {
	i, ok := c.byID[id]
	if !ok {
		return CatalogItem{}, false
	}
	return c.item(i), true
}

func (c *Catalog) item(i int) CatalogItem {
	it := c.items[i]
	it.Aliases = slices.Clone(it.Aliases)
	return it
}

// NormalizeName returns the key under which names are compared: NFKC
// normalisation with East Asian width folding (full-width "Ｎ９５" is "N95"), lower
// case, and only letters and digits kept (spaces, punctuation, symbols and
// invisible characters such as U+200B dropped). "N95 口罩", "n95口罩" and
// "Ｎ９５口罩" all become "n95口罩".
func NormalizeName(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		s = width.Fold.String(norm.NFKC.String(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
				b.WriteByte(byte(r))
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// stable reports whether r is left alone by NFKC and width folding whatever
// surrounds it: ASCII and the CJK unified ideographs (not the compatibility ones).
func stable(r rune) bool {
	return r < utf8.RuneSelf || (0x4e00 <= r && r <= 0x9fff) || (0x3400 <= r && r <= 0x4dbf)
}

// normalizedEqual reports whether NormalizeName(raw) == key, without allocating
// when raw is made of ASCII and CJK ideographs only (the common case).
func normalizedEqual(raw, key string) bool {
	for _, r := range raw {
		if !stable(r) {
			return NormalizeName(raw) == key
		}
	}
	j := 0
	for _, r := range raw {
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if !(('a' <= r && r <= 'z') || ('0' <= r && r <= '9')) {
				continue
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			r = unicode.ToLower(r)
		default:
			continue
		}
		k, size := utf8.DecodeRuneInString(key[j:])
		if size == 0 || k != r {
			return false
		}
		j += size
	}
	return j == len(key)
}

// match is a candidate resolution of one part of a name.
type match struct {
	item  int
	exact bool // the whole part is an alias
	len   int  // bytes of the normalised alias matched
}

// better reports whether m is a more specific match than o: an exact match beats
// a contained one, then a longer alias beats a shorter one. Ties keep o (the
// earlier part).
func (m match) better(o match) bool {
	if m.exact != o.exact {
		return m.exact
	}
	return m.len > o.len
}

// Resolve returns the catalog item that name (one supply, possibly written with
// alternative names) refers to. The name is width-folded and NFKC-normalised,
// text in brackets is dropped ("N95（10万）", "防护服（已安排）"), and the rest is
// split into alternatives at | / \ , ; 、 and 或. Each alternative is normalised
// (see NormalizeName) and looked up:
//
//  1. as a whole, among the items' names and aliases;
//  2. failing that, by the aliases (two characters or more) it contains, keeping
//     the one that ends last and, among those, the longest: Chinese compounds put
//     the head noun last, so "医用消毒酒精" is alcohol and "面罩式雾化器" a
//     nebuliser, not a face shield. An alias made of Latin letters or digits only
//     counts where it is not glued to more of the same ("n95" is not found in
//     "kn95" nor in "n950").
//
// Of the alternatives, the most specific wins: a whole match before a contained
// one, then the longest alias, then the first written. A name nothing matches is
// not resolved (false); the caller keeps it as written.
func (c *Catalog) Resolve(name string) (CatalogItem, bool) {
	best, found := match{}, false
	for _, part := range splitName(dropBrackets(foldName(name))) {
		if m, ok := c.lookup(NormalizeName(part)); ok && (!found || m.better(best)) {
			best, found = m, true
		}
	}
	if !found {
		return CatalogItem{}, false
	}
	return c.item(best.item), true
}

// ResolveItem resolves a demand's or an offer's line: by its Name and, if that
// names nothing known, by its Spec (a line "口罩" with spec "N95" is an N95
// respirator).
func (c *Catalog) ResolveItem(it Item) (CatalogItem, bool) {
	if ci, ok := c.Resolve(it.Name); ok {
		return ci, true
	}
	if it.Spec != "" {
		return c.Resolve(it.Spec)
	}
	return CatalogItem{}, false
}

// ResolveList splits a free-text list of several supplies, as typed in a sheet
// cell ("N95/护目镜/外科口罩", "N95，防护服（急需面罩，眼罩）"), and resolves each
// part on its own. Brackets separate parts here (their content is often more
// items); parts that are only a quantity ("10万", "2万件") are dropped. Parts come
// back in the order written, unresolved ones included.
func (c *Catalog) ResolveList(text string) []Resolution {
	var out []Resolution
	for _, part := range splitList(foldName(text)) {
		key := NormalizeName(part)
		if key == "" || isQuantity(key) {
			continue
		}
		r := Resolution{Text: part}
		if m, ok := c.lookup(key); ok {
			r.Item, r.OK = c.item(m.item), true
		}
		out = append(out, r)
	}
	return out
}

// lookup resolves one normalised part.
func (c *Catalog) lookup(key string) (match, bool) {
	if key == "" {
		return match{}, false
	}
	if i, ok := c.byAlias[key]; ok {
		return match{item: i, exact: true, len: len(key)}, true
	}
	// Contained aliases: the one ending last, then the longest.
	best, bestEnd, found := match{}, -1, false
	for start := 0; start < len(key); {
		_, size := utf8.DecodeRuneInString(key[start:])
		for end := min(len(key), start+c.maxAlias); end > start+size; end-- {
			if !utf8.RuneStart(byteAt(key, end)) {
				continue
			}
			i, ok := c.byAlias[key[start:end]]
			if !ok || !bounded(key, start, end) {
				continue
			}
			if end > bestEnd || (end == bestEnd && end-start > best.len) {
				best, bestEnd, found = match{item: i, len: end - start}, end, true
			}
			break // the longest alias from start
		}
		start += size
	}
	return best, found
}

// byteAt returns s[i], or a rune-start byte at the end of s.
func byteAt(s string, i int) byte {
	if i >= len(s) {
		return 0
	}
	return s[i]
}

// bounded reports whether key[start:end] is not glued, at either end, to more
// Latin letters (if it ends in one) or more digits (if it ends in one).
func bounded(key string, start, end int) bool {
	same := func(a, b byte) bool {
		letter := func(c byte) bool { return 'a' <= c && c <= 'z' }
		digit := func(c byte) bool { return '0' <= c && c <= '9' }
		return (letter(a) && letter(b)) || (digit(a) && digit(b))
	}
	if start > 0 && same(key[start-1], key[start]) {
		return false
	}
	if end < len(key) && same(key[end-1], key[end]) {
		return false
	}
	return true
}

// foldName NFKC-normalises and width-folds s, so that full-width separators and
// brackets become their ASCII forms.
func foldName(s string) string { return width.Fold.String(norm.NFKC.String(s)) }

func isOpen(r rune) bool {
	return r == '(' || r == '[' || r == '{' || r == '【' || r == '〔' || r == '《'
}
func isClose(r rune) bool {
	return r == ')' || r == ']' || r == '}' || r == '】' || r == '〕' || r == '》'
}

// dropBrackets removes bracketed text (nested too); an unclosed bracket drops the
// rest, a stray closing one is dropped.
func dropBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case isOpen(r):
			depth++
		case isClose(r):
			if depth > 0 {
				depth--
			}
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isSeparator(r rune) bool {
	switch r {
	case '|', '/', '\\', ',', ';', '、', '或', '\n', '\r', '\t':
		return true
	}
	return false
}

// splitName splits alternatives of one name.
func splitName(s string) []string { return strings.FieldsFunc(s, isSeparator) }

// splitList splits a list of supplies: separators, brackets, a full stop between
// non-digits ("N95.防护服") and a colon ("需要: 护目镜").
func splitList(s string) []string {
	rs := []rune(s)
	var out []string
	begin := 0
	flush := func(end int) {
		if p := strings.TrimSpace(string(rs[begin:end])); p != "" {
			out = append(out, p)
		}
		begin = end + 1
	}
	for i, r := range rs {
		dot := (r == '.' || r == '。') && !(i > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i-1]) && unicode.IsDigit(rs[i+1]))
		if isSeparator(r) || isOpen(r) || isClose(r) || dot || r == ':' || r == '+' || r == '&' {
			flush(i)
		}
	}
	flush(len(rs))
	return out
}

// quantityRunes are the characters a bare quantity ("2万件", "一万", "1千") is
// made of besides numerals: magnitudes and units.
const quantityRunes = "万千百十亿kw个只件套双副台瓶箱盒包桶卷份支把顶条张袋"

// isQuantity reports whether the normalised key is only a quantity.
func isQuantity(key string) bool {
	digits := false
	for _, r := range key {
		switch {
		case '0' <= r && r <= '9', strings.ContainsRune("零一二两三四五六七八九", r):
			digits = true
		case strings.ContainsRune(quantityRunes, r):
		default:
			return false
		}
	}
	return digits
}
