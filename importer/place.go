package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/region"
	"github.com/reliefmesh/reliefmesh/relief"
)

// countryHeaders are the headers of a country column without an HXL tag.
var countryHeaders = []string{"country", "国家", "país", "pais", "pays"}

// placeHeaders recognise, by how a header ends, the columns that name a
// province, a city or a county when the mapping did not take them
// ("所在城市", "所在省份", "所属区县"): a row's place is resolved from them
// too (they are not mapped, so their value stays with the row as written).
var placeHeaders = []struct {
	re    *regexp.Regexp
	level int // 1 province, 2 city, 3 county
}{
	{regexp.MustCompile(`(省份|所在省|所属省|省区)$`), 1},
	{regexp.MustCompile(`(城市|地市|所在市|所属市|市州|地州)$`), 2},
	{regexp.MustCompile(`(区县|县区|市县|县市|所在区|所属区|所在县|所属县|行政区)$`), 3},
	// "医院辖区（县区级）", "酒店辖区": the county or district a place lies in
	{regexp.MustCompile(`辖区$`), 3},
	// "省市", "市-区", "省/市/区": levels joined in one column; the cell is
	// read as a chain of names ("昆明市-官渡区"), its dashes taken out
	{regexp.MustCompile(`^(?:所在|所属)?[省市区县州](?:\s*[-/、－—]?\s*[省市区县州])+$`), 2},
}

// placeJoiners are the marks that join the levels of a place in one cell
// ("昆明市-官渡区", "湖北/荆门"); region.Resolve reads the names run together.
var placeJoiners = strings.NewReplacer("-", "", "－", "", "—", "", "/", "", "／", "", "、", "", " ", "")

// activityHeaders are the headers of an activity column without an HXL tag
// (lower case, brackets taken off).
var activityHeaders = []string{"sector", "cluster", "sector/cluster", "cluster/sector", "secteur", "setor", "subsector", "activity", "actividad", "activité"}

// activityTags are the HXL hashtags that say what a row's organisation does.
var activityTags = []string{"#sector", "#subsector", "#activity", "#output", "#service"}

// placeAndActivity sets rec's Country and Activity from the cells of row r
// of t: the #country column (or a column headed as a country), and the
// activity columns (activityTags), which the mapping may also read for
// another field (#sector is the category too).
func placeAndActivity(t *Table, r Row, rec *Record) {
	var acts []string
	for i, c := range r.Cells {
		v := CleanText(c)
		if v == "" {
			continue
		}
		var tag, head string
		if i < len(t.Tags) {
			tag, _, _ = strings.Cut(t.Tags[i], "+")
		}
		if i < len(t.Headers) {
			head = strings.ToLower(t.Headers[i])
		}
		if strings.ContainsAny(head, "(（[【") {
			head = strings.TrimSpace(bracketRE.ReplaceAllString(head, "")) // "酒店辖区（县区级）"
		}
		switch {
		case tag == "#country" || (tag == "" && slices.Contains(countryHeaders, head)):
			if rec.Country == "" {
				rec.Country = v
			}
		case slices.Contains(activityTags, tag) || (tag == "" && slices.Contains(activityHeaders, head)):
			acts = append(acts, v)
		case tag == "" && head != "":
			for _, ph := range placeHeaders {
				if !ph.re.MatchString(head) {
					continue
				}
				if rec.hints[ph.level-1] == "" {
					rec.hints[ph.level-1] = placeJoiners.Replace(v)
				}
			}
		}
	}
	rec.Activity = strings.Join(acts, " / ")
}

// offerScope is what tells an offer apart from its supplier's other rows:
// its activity, country, province and city, normalised; "" when the row has
// neither an activity nor a country (the key then stays what it was).
func offerScope(rec *Record) string {
	if rec.Kind != relief.KindOffer || (rec.Activity == "" && rec.Country == "") {
		return ""
	}
	return relief.NormalizeName(rec.Activity) + "/" + relief.NormalizeName(rec.Country+rec.Province+rec.City)
}

// offerRegion is the region an offer from r serves: its area served, or else
// the most specific of district, county (resolved from a place column, "哈尔滨市-
// 双城区"), city, province and country it names.
func offerRegion(r Record) string {
	return firstNonEmpty(r.Region, r.District, r.Place.County, r.City, r.Province, r.Country)
}

// tableDates is the date context (readDate) of t's date and deadline
// columns under mapping m: the order of their dates (DateOrderOf) and the
// year most of their full dates name.
func tableDates(t *Table, m Mapping) dateContext {
	var vals []string
	for _, c := range m.Columns {
		if c.Field != FieldDate && c.Field != FieldDeadline {
			continue
		}
		for _, r := range t.Rows {
			if c.Index < len(r.Cells) {
				vals = append(vals, r.Cells[c.Index])
			}
		}
	}
	dc := dateContext{order: DateOrderOf(vals)}
	years, most := map[int]int{}, 0
	for _, v := range vals {
		if y := yearOf(v, dc.order); y != 0 {
			years[y]++
			if years[y] > most || years[y] == most && y > dc.year {
				dc.year, most = y, years[y]
			}
		}
	}
	return dc
}

// chinaNames are the ways a country cell says China: its places are
// resolved against the national divisions.
var chinaNames = []string{"中国", "中华人民共和国", "china", "cn", "chn", "prc"}

// resolvePlace sets rec.Place from its province, city, district (or, for
// an offer without one, its area served) and address: the division they
// resolve to (region.Resolve), its county also becoming the district when
// the row named none ("钟祥" in a city column: district 钟祥市, city 荆门市,
// province 湖北省), and the province and city filled where the row left
// them empty; or, where they resolve to none, the names as written. Rows of
// another country are never resolved against China's divisions. The row's
// own province, city and district cells win over its address
// (region.ResolveRow); when the address names another place, the returned
// Problem (ProblemPlaceDisagrees, File and Sheet for the caller to set)
// names both; when the cells disagree with each other, it is
// ProblemPlaceCellsDisagree (cellsDisagree); nil otherwise.
func resolvePlace(rec *Record) *Problem {
	asWritten := relief.Place{Country: rec.Country, Province: rec.Province, City: rec.City, County: rec.District}
	if rec.Country == "" || slices.Contains(chinaNames, strings.ToLower(strings.TrimSpace(rec.Country))) {
		district := firstNonEmpty(rec.District, rec.hints[2], rec.Region)
		prov, city := firstNonEmpty(rec.Province, rec.hints[0]), firstNonEmpty(rec.City, rec.hints[1])
		p, dis, ok := region.ResolveRow(prov, city, district, rec.Address)
		var prob *Problem
		if dis != (region.Disagreement{}) {
			var named []string // each cell once: a "区县" column is a hint of two levels
			for _, c := range []string{prov, city, district} {
				if c != "" && !slices.Contains(named, c) {
					named = append(named, c)
				}
			}
			cells := strings.Join(named, " ")
			if dis.Among != "" || dis.Shared != "" {
				prob = cellsDisagree(rec, cells, dis)
			} else {
				prob = &Problem{Row: rec.Row, Line: rec.Line, Field: string(FieldAddress), Value: rec.Address, Code: ProblemPlaceDisagrees,
					Msg: fmt.Sprintf("the row's place cells (%s) name %s, but the address %q names %s: the place is taken from the cells; check the address",
						cells, dis.Cells, rec.Address, dis.Address),
					Args: args("cells", cells, "place", dis.Cells, "address", rec.Address, "address_place", dis.Address)}
			}
		}
		if !ok {
			if !asWritten.IsZero() {
				rec.Place = asWritten
			}
			return prob
		}
		p.Country = rec.Country
		rec.Place = p
		if rec.District == "" && p.County != "" && rec.Kind == relief.KindDemand {
			rec.District = p.County
		}
		if rec.District != "" && rec.District != p.County && strings.HasPrefix(p.County, rec.District) {
			// a bare name the city tells apart ("鼓楼" in 南京): its official name
			if rec.Address == asWritten.Province+asWritten.City+rec.District {
				rec.Address = asWritten.Province + asWritten.City + p.County // the address made of the place's names
			}
			rec.District = p.County
		}
		if rec.Province == "" {
			rec.Province = p.Province
		}
		if rec.City == "" {
			rec.City = p.City
		}
		return prob
	}
	if !asWritten.IsZero() {
		rec.Place = asWritten
	}
	return nil
}

// cellsDisagree is the Problem of a row whose place cells (cells, as
// written) name places that exclude each other (ProblemPlaceCellsDisagree),
// or a name several places share with an address in none of them
// (ProblemPlaceSharedName), as region.ResolveRow's dis says: what the
// cells name, and how the place was taken (by the address, by the level
// the cells share, or not at all).
func cellsDisagree(rec *Record, cells string, dis region.Disagreement) *Problem {
	var basis, basisZH string
	switch {
	case dis.ByAddress:
		basis = fmt.Sprintf("the address %q names %s: the place is taken as %s, from the cells it agrees with", rec.Address, dis.Address, dis.Cells)
		basisZH = fmt.Sprintf("地址“%s”写的是%s：已按与之相符的单元格定位为%s", rec.Address, dis.Address, dis.Cells)
	case dis.Shared != "" && dis.Cells != "":
		basis = fmt.Sprintf("the address %q names %s, in none of them: the place is taken only as %s, which they all lie in", rec.Address, dis.Address, dis.Cells)
		basisZH = fmt.Sprintf("地址“%s”写的是%s，不在其中任何一处：只定位到它们共同所在的%s", rec.Address, dis.Address, dis.Cells)
	case dis.Shared != "":
		basis = fmt.Sprintf("the address %q names %s, in none of them: no place is taken, the names are kept as written", rec.Address, dis.Address)
		basisZH = fmt.Sprintf("地址“%s”写的是%s，不在其中任何一处：未定位，地点按原文保留", rec.Address, dis.Address)
	case dis.Cells != "":
		basis = fmt.Sprintf("the place is taken as %s, the level they share", dis.Cells)
		basisZH = fmt.Sprintf("已只定位到它们共有的%s", dis.Cells)
	default:
		basis = "they share no place: the names are kept as written, not placed"
		basisZH = "它们没有共同的地点：地点按原文保留，未定位"
	}
	if dis.Shared != "" {
		return &Problem{Row: rec.Row, Line: rec.Line, Field: string(FieldAddress), Value: cells, Code: ProblemPlaceSharedName,
			Msg:  fmt.Sprintf("the row's place cells (%s) name a place several share (%s); %s; check the cells and the address", cells, dis.Shared, basis),
			Args: args("cells", cells, "places", dis.Shared, "place", dis.Cells, "address", rec.Address, "address_place", dis.Address, "basis", basis, "basis_zh", basisZH)}
	}
	return &Problem{Row: rec.Row, Line: rec.Line, Field: string(FieldAddress), Value: cells, Code: ProblemPlaceCellsDisagree,
		Msg:  fmt.Sprintf("the row's place cells (%s) disagree with each other (%s): %s; check the cells", cells, dis.Among, basis),
		Args: args("cells", cells, "places", dis.Among, "place", dis.Cells, "address", rec.Address, "address_place", dis.Address, "basis", basis, "basis_zh", basisZH)}
}
