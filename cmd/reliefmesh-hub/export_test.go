package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
)

// TestExportFormatsAndLevels: every format at the public level (the default,
// --public kept), and team and restricted exports when asked by the
// network's coordinator.
func TestExportFormatsAndLevels(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.CreateNetwork("武汉 2020", "甲")
	need := 5000.0
	if _, err := st.RecordDemand(relief.Demand{Title: "第一医院急需N95", Category: "protective_equipment", RequesterOrg: "武汉市第一医院",
		District: "江汉区", Address: "湖北省武汉市江汉区解放大道1277号", Items: []relief.Item{{Name: "N95口罩", Unit: "个", Needed: &need}},
		Contacts: []relief.Contact{{Name: "王老师", Phone: "+8613800000000"}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out := t.TempDir()
	export := func(args ...string) (string, error) {
		t.Helper()
		file := filepath.Join(out, "b")
		log, err := run(t, append([]string{"export", "--include-unpublished", "-o", file, "--data-dir", dir}, args...)...)
		if err != nil {
			return log, err
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), nil
	}
	for _, tc := range []struct {
		args          []string
		want, wantNot []string
	}{
		{[]string{"--format", "csv", "--public"}, []string{"\ufeff编号,标题,需求单位,", "#org", "武汉市第一医院", ",防护用品,已收集,一般,"}, []string{"解放大道", "13800000000", "王老师", "protective_equipment"}},
		{[]string{"--format", "csv", "--lang", "en"}, []string{"\ufeffcode,", "#org", ",Protective equipment,Collected,Normal,"}, []string{"解放大道", "编号"}},
		{[]string{"--format", "xlsx"}, []string{"PK"}, nil},
		{[]string{"--format", "hxl"}, []string{"#adm1+name", "#item+needed", "N95口罩"}, []string{"\ufeff", "解放大道", "13800000000"}},
		{[]string{"--format", "json"}, []string{`"requester_org": "武汉市第一医院"`}, []string{"解放大道", "13800000000"}},
		{[]string{"--format", "text"}, []string{"【需求公告】共 1 条", "需要：N95口罩 5000 个"}, []string{"解放大道", "13800000000"}},
		{[]string{"--format", "text", "--lang", "en"}, []string{"Demand bulletin: 1 demands", "Needs: N95口罩 5000 个"}, nil},
		{[]string{"--format", "hxl", "--level", "team"}, []string{"#loc+address", "湖北省,武汉市,江汉区", "解放大道1277号"}, []string{"13800000000", "王老师"}},
		{[]string{"--format", "csv", "--level", "restricted"}, []string{"解放大道1277号", "王老师", "+8613800000000"}, nil},
	} {
		got, err := export(tc.args...)
		if err != nil {
			t.Errorf("export %v = %v\n%s", tc.args, err, got)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("export %v lacks %q:\n%.600s", tc.args, w, got)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(got, w) {
				t.Errorf("export %v holds %q:\n%.600s", tc.args, w, got)
			}
		}
	}
	for _, args := range [][]string{{"--public", "--level", "team"}, {"--level", "secret"}, {"--format", "pdf"}, {"--format", "text", "--lang", "fr"}} {
		if got, err := export(args...); err == nil {
			t.Errorf("export %v = nil\n%.200s; want an error", args, got)
		}
	}
}

// TestExportTeamCarriesDuplicateFlag: a team bulletin written by the hub's
// export command (which opens the store lean for a bulletin) carries the
// duplicate flag of a demand that repeats an earlier one, as the original's
// code, as the app's export does. The lean open once skipped the view the
// flags come from, and the column came out empty.
func TestExportTeamCarriesDuplicateFlag(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.CreateNetwork("武汉 2020", "甲")
	var codes []string
	for _, title := range []string{"协和医院急需N95", "协和医院需要N95口罩"} {
		d, err := st.RecordDemand(relief.Demand{Title: title, Category: "protective_equipment", RequesterOrg: "华中科技大学同济医学院附属协和医院",
			District: "江汉区", Contacts: []relief.Contact{{Name: "王老师", Phone: "+8613800000000"}}})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, d.Code)
	}
	if o, ok := st.DuplicateOf(mustID(t, st, codes[1])); !ok || o == "" {
		t.Fatalf("the store flags no duplicate (%q, %v): the test's premise is wrong", o, ok)
	}
	st.Close()
	out, err := run(t, "export", "--include-unpublished", "--format", "csv", "--level", "team", "-o", "-", "--data-dir", dir)
	if err != nil {
		t.Fatalf("export --level team = %v\n%s", err, out)
	}
	var flagged bool
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, codes[1]+",") && strings.Contains(line, codes[0]) {
			flagged = true
		}
	}
	if !flagged {
		t.Errorf("team bulletin: the row of %s does not name its original %s:\n%s", codes[1], codes[0], out)
	}
}

// mustID returns the id of the demand whose short code is code.
func mustID(t *testing.T, st *store.Store, code string) string {
	t.Helper()
	ds, err := st.Demands(store.DemandQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Code == code {
			return d.ID
		}
	}
	t.Fatalf("no demand with code %s", code)
	return ""
}
