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
	// the last export was restricted (phones): readable by this user only,
	// though the file was there before as a public one (a tester found 0644)
	file := filepath.Join(out, "b")
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restricted bulletin mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	log, err := run(t, "export", "--include-unpublished", "--format", "csv", "-o", file, "--data-dir", dir, "--lang", "zh-CN")
	if fi, _ := os.Stat(file); err != nil || fi.Mode().Perm() != 0o644 || !strings.Contains(log, "已写入 1 条需求（公开）") {
		t.Errorf("public export in zh-CN: mode %v, log %q, %v; want 0644 and said in Chinese", fi.Mode().Perm(), log, err)
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

// TestExportSignedAndVerified: export writes FILE.sig beside FILE; verify
// says who signed it; a changed byte, another network and a missing .sig
// are refused in words; a device that is no member writes the bulletin
// unsigned and says so.
func TestExportSignedAndVerified(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, "init", "--name", "武汉 2020", "--member-name", "甲", "--data-dir", dir); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "公告.xlsx")
	out, err := run(t, "export", "-o", file, "--include-unpublished", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "signed: "+file+".sig") {
		t.Fatalf("export = %v\n%s; want it signed", err, out)
	}
	// verified from the files alone: another data dir
	elsewhere := t.TempDir()
	out, err = run(t, "verify", file, "--data-dir", elsewhere)
	if err != nil || !strings.Contains(out, "VERIFIED: 公告.xlsx") || !strings.Contains(out, "signed by 甲") || !strings.Contains(out, "Coordinator") {
		t.Errorf("verify = %v\n%s; want verified, signed by the coordinator 甲", err, out)
	}
	data, _ := os.ReadFile(file)
	data[len(data)/3] ^= 0x20
	changed := filepath.Join(t.TempDir(), "changed.xlsx")
	os.WriteFile(changed, data, 0o644)
	if out, err := run(t, "verify", changed, "--sig", file+".sig", "--data-dir", elsewhere); err == nil || !strings.Contains(err.Error(), "NOT VERIFIED") || !strings.Contains(err.Error(), "tampered") {
		t.Errorf("verify of a changed file = %v\n%s; want NOT VERIFIED: tampered", err, out)
	}
	if _, err := run(t, "verify", file, "--network", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--data-dir", elsewhere); err == nil || !strings.Contains(err.Error(), "wrong_network") {
		t.Errorf("verify --network another = %v; want wrong_network", err)
	}
	if _, err := run(t, "verify", changed, "--data-dir", elsewhere); err == nil || !strings.Contains(err.Error(), "no signature file") {
		t.Errorf("verify without a .sig = %v; want it to say there is no signature file", err)
	}

	// a device that joined but is not endorsed yet
	stranger := t.TempDir()
	st, err := store.Open(stranger, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.JoinNetwork("aaaaaaaaaaaaaaaaaaaaaaaaaa")
	st.Close()
	unsigned := filepath.Join(t.TempDir(), "b.csv")
	out, err = run(t, "export", "-o", unsigned, "--data-dir", stranger)
	if err != nil || !strings.Contains(out, "NOT SIGNED") {
		t.Errorf("export by a device that is no member = %v\n%s; want the bulletin written, NOT SIGNED said", err, out)
	}
	if _, err := os.Stat(unsigned + ".sig"); !os.IsNotExist(err) {
		t.Errorf("a .sig was written for an unsigned bulletin: %v", err)
	}
}

// TestEmptyExportSaysWhy: a public bulletin with nothing published says how
// many demands are waiting and how to include them, in the bulletin's
// language.
func TestEmptyExportSaysWhy(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st.CreateNetwork("武汉 2020", "甲")
	for _, title := range []string{"第一医院急需N95", "社区需要方便面"} {
		if _, err := st.RecordDemand(relief.Demand{Title: title, Category: "other", RequesterOrg: title}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	file := filepath.Join(t.TempDir(), "b.csv")
	for lang, want := range map[string]string{"zh-CN": "另有 2 条需求待审核或待发布", "en": "2 demands are waiting for review or publication"} {
		out, err := run(t, "export", "-o", file, "--lang", lang, "--no-sign", "--data-dir", dir)
		if err != nil || !strings.Contains(out, want) || !strings.Contains(out, "--include-unpublished") {
			t.Errorf("export --lang %s of nothing published = %v\n%s; want %q and how to include them", lang, err, out, want)
		}
	}
	if out, err := run(t, "export", "-o", file, "--include-unpublished", "--no-sign", "--data-dir", dir); err != nil || strings.Contains(out, "公告为空") {
		t.Errorf("export --include-unpublished = %v\n%s; want no empty note", err, out)
	}
}

// runSplit is run with standard output and standard error apart.
func runSplit(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRoot()
	var out, errs strings.Builder
	cmd.SetOut(&out)
	cmd.SetErr(&errs)
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errs.String(), err
}
