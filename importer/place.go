package importer

import (
	"slices"
	"strings"

	"github.com/reliefmesh/reliefmesh/relief"
)

// countryHeaders are the headers of a country column without an HXL tag.
var countryHeaders = []string{"country", "国家", "país", "pais", "pays"}

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
		switch {
		case tag == "#country" || (tag == "" && slices.Contains(countryHeaders, head)):
			if rec.Country == "" {
				rec.Country = v
			}
		case slices.Contains(activityTags, tag):
			acts = append(acts, v)
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
// the most specific of district, city, province and country it names.
func offerRegion(r Record) string {
	return firstNonEmpty(r.Region, r.District, r.City, r.Province, r.Country)
}

// tableDateOrder is the order (DateOrderOf) of the values of t's date
// columns under mapping m.
func tableDateOrder(t *Table, m Mapping) DateOrder {
	var vals []string
	for _, c := range m.Columns {
		if c.Field != FieldDate {
			continue
		}
		for _, r := range t.Rows {
			if c.Index < len(r.Cells) {
				vals = append(vals, r.Cells[c.Index])
			}
		}
	}
	return DateOrderOf(vals)
}
