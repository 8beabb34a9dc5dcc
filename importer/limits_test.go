package importer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestImportCutsToTheLimits: a row longer than relief's limits is cut to them
// in characters (3-byte Chinese ones too), never refused by a peer's check;
// a row at the limits is kept whole.
func TestImportCutsToTheLimits(t *testing.T) {
	for _, extra := range []int{0, 7} {
		r := Record{Kind: relief.KindDemand, File: "f.csv", Row: 2, Org: strings.Repeat("院", relief.MaxTitle+extra),
			Address: strings.Repeat("路", relief.MaxAddress+extra), District: strings.Repeat("区", relief.MaxDistrict+extra),
			Items:    []relief.Item{{Name: strings.Repeat("罩", relief.MaxItemName+extra), Unit: strings.Repeat("只", relief.MaxUnit+extra)}},
			Contacts: []relief.Contact{{Name: strings.Repeat("王", relief.MaxContactName+extra), Phone: "+8613800000000"}}}
		fields := demandFields(r, nil)
		for f, want := range map[string]int{relief.FieldTitle: relief.MaxTitle, relief.FieldAddress: relief.MaxAddress, relief.FieldDistrict: relief.MaxDistrict} {
			if n := utf8.RuneCountInString(fields[f].(string)); n != want {
				t.Errorf("demandFields(%s of %d characters) = %d characters; want %d", f, want+extra, n, want)
			}
		}
		if it := fields[relief.FieldItems].([]relief.Item)[0]; utf8.RuneCountInString(it.Name) != relief.MaxItemName || utf8.RuneCountInString(it.Unit) != relief.MaxUnit {
			t.Errorf("demandFields(item %d, unit %d characters) = %d, %d; want the limits", relief.MaxItemName+extra, relief.MaxUnit+extra,
				utf8.RuneCountInString(it.Name), utf8.RuneCountInString(it.Unit))
		}
		if _, err := demandOps("d-1", r, "", nil, nil); err != nil {
			t.Errorf("demandOps(row %d characters over the limits) = %v; want accepted", extra, err)
		}
	}
}

// TestParseMessageAtTheLimit: a message of exactly relief.MaxMessage
// characters is read whole; one more is cut and reported.
func TestParseMessageAtTheLimit(t *testing.T) {
	head := "武汉市第一医院急需N95口罩5000个，"
	at := head + strings.Repeat("口", MaxMessageLen-utf8.RuneCountInString(head))
	for _, tc := range []struct {
		msg  string
		long bool
	}{{at, false}, {at + "口", true}} {
		_, probs := ParseMessage(tc.msg)
		long := false
		for _, p := range probs {
			long = long || p.Code == ProblemTooLong
		}
		if long != tc.long {
			t.Errorf("ParseMessage(%d characters) reports too long = %v; want %v", utf8.RuneCountInString(tc.msg), long, tc.long)
		}
	}
}

// TestLongRowKeepsAnAcceptedSource: a row keyed by an organisation and an
// address longer than relief.MaxSource together gets a source within the
// limit (the store refused the whole row before), the same on every read,
// and two such rows that differ only past the cut get different sources; a
// short row's source is as it always was.
func TestLongRowKeepsAnAcceptedSource(t *testing.T) {
	long := strings.Repeat("路", relief.MaxSource)
	csv := "医院名称,地址,需求物资\n" +
		"武汉市汉口医院," + long + "1号,N95口罩\n" +
		"武汉市汉口医院," + long + "2号,N95口罩\n" +
		"武汉市武昌医院,张之洞路99号,N95口罩\n"
	read := func() []Record {
		recs, _, err := ReadData("long.csv", []byte(csv), DefaultOptions())
		if err != nil || len(recs) != 3 {
			t.Fatalf("ReadData = %d records, %v; want 3", len(recs), err)
		}
		return recs
	}
	a, b := read(), read()
	for i := range a {
		if n := utf8.RuneCountInString(a[i].Source); n > relief.MaxSource {
			t.Errorf("row %d: source of %d characters; want at most %d", a[i].Row, n, relief.MaxSource)
		}
		if a[i].Source != b[i].Source {
			t.Errorf("row %d: source %q, then %q; want the same", a[i].Row, a[i].Source, b[i].Source)
		}
	}
	if a[0].Source == a[1].Source {
		t.Errorf("rows 2 and 3 share source %q; want distinct", a[0].Source)
	}
	if !strings.HasSuffix(a[2].Source, ":武汉市武昌医院@张之洞路99号") {
		t.Errorf("short row's source = %q; want it unchanged (…:武汉市武昌医院@张之洞路99号)", a[2].Source)
	}
}
