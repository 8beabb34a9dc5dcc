package bulletin

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/importer"
	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
)

func key(b byte) ledger.DeviceID { var k ledger.DeviceID; k[0] = b; return k }

func num(f float64) *float64 { return &f }

// levelDemands are two demands with a team field (the address) and
// restricted fields (contacts, review notes) marked TEAM and RESTRICTED.
func levelDemands() []relief.Demand {
	var ds []relief.Demand
	for i, org := range []string{"武汉市第一医院", "汉口医院"} {
		ds = append(ds, relief.Demand{
			ID: fmt.Sprintf("id%d", i), Code: fmt.Sprintf("D-AAAA%d", i), Title: org + "急需口罩", RequesterOrg: org, District: "江汉区",
			Category: "protective_equipment", Status: relief.StatusPublished, Urgency: relief.UrgencyHigh, Owner: key(9),
			Items:   []relief.Item{{Name: "N95口罩", Unit: "只", Needed: num(5000), Received: 1000}, {Name: "护目镜"}},
			Address: "湖北省武汉市江汉区TEAM路" + fmt.Sprint(i), Source: "TEAMSOURCE",
			Contacts: []relief.Contact{{Name: "RESTRICTED王老师", Phone: "+8613800000000"}}, ReviewNotes: "RESTRICTED note",
			Position: &relief.Position{Lat: 30.5, Lon: 114.3},
		})
	}
	return ds
}

func formatsAt(level relief.Level, viewer relief.Member) []Options {
	var out []Options
	for _, o := range allFormats() {
		o.Level, o.Viewer = level, viewer
		out = append(out, o)
	}
	return out
}

func render(t *testing.T, ds []relief.Demand, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWith(&buf, ds, o); err != nil {
		t.Fatalf("WriteWith(%s %s %s) = %v", o.Format, o.Lang, o.Level, err)
	}
	if o.Format == "xlsx" {
		return xlsxText(t, buf.Bytes())
	}
	return buf.String()
}

// TestLevels: public bulletins hold neither team nor restricted fields; team
// bulletins hold the address but nothing restricted, even when a coordinator
// asks; restricted bulletins hold the contacts.
func TestLevels(t *testing.T) {
	ds := levelDemands()
	coordinator := relief.Member{Key: key(1), Role: relief.RoleCoordinator}
	volunteer := relief.Member{Key: key(2), Role: relief.RoleVolunteer}
	owner := relief.Member{Key: key(9), Role: relief.RoleVolunteer}
	for _, tc := range []struct {
		level    relief.Level
		viewer   relief.Member
		want     []string
		wantNot  []string
		viewerOK string
	}{
		{relief.LevelPublic, relief.Member{}, []string{"武汉市第一医院", "N95口罩"}, []string{"TEAM", "RESTRICTED", "13800000000"}, "anonymous"},
		{relief.LevelPublic, coordinator, []string{"武汉市第一医院"}, []string{"TEAM", "RESTRICTED", "13800000000"}, "coordinator"},
		{relief.LevelTeam, volunteer, []string{"TEAM路0", "TEAM路1"}, []string{"RESTRICTED", "13800000000"}, "volunteer"},
		{relief.LevelTeam, coordinator, []string{"TEAM路0"}, []string{"RESTRICTED", "13800000000"}, "coordinator"},
		{relief.LevelTeam, owner, []string{"TEAM路0"}, []string{"RESTRICTED", "13800000000"}, "owner"},
		{relief.LevelRestricted, coordinator, []string{"TEAM路0", "RESTRICTED王老师", "+8613800000000"}, nil, "coordinator"},
		{relief.LevelRestricted, owner, []string{"RESTRICTED王老师"}, nil, "owner of every demand"},
	} {
		for _, o := range formatsAt(tc.level, tc.viewer) {
			t.Run(fmt.Sprintf("%s/%s/%s%s", tc.level, tc.viewerOK, o.Format, o.Lang), func(t *testing.T) {
				out := render(t, ds, o)
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("%s bulletin lacks %q:\n%s", tc.level, w, out)
					}
				}
				for _, w := range tc.wantNot {
					if strings.Contains(out, w) {
						t.Errorf("%s bulletin holds %q:\n%s", tc.level, w, out)
					}
				}
			})
		}
	}
}

// TestLevelsNeedClearance: a team bulletin needs an active member, a
// restricted one a viewer who may see every demand's contacts; nothing is
// written otherwise.
func TestLevelsNeedClearance(t *testing.T) {
	ds := levelDemands()
	for _, tc := range []struct {
		level  relief.Level
		viewer relief.Member
	}{
		{relief.LevelTeam, relief.Member{}},
		{relief.LevelTeam, relief.Member{Key: key(3), Role: relief.RoleCoordinator, Revoked: true}},
		{relief.LevelRestricted, relief.Member{}},
		{relief.LevelRestricted, relief.Member{Key: key(2), Role: relief.RoleVolunteer}},
		{relief.LevelRestricted, relief.Member{Key: key(2), Role: relief.RoleObserver}},
	} {
		var buf bytes.Buffer
		err := WriteWith(&buf, ds, Options{Format: "csv", Level: tc.level, Viewer: tc.viewer})
		if !errors.Is(err, ErrNotCleared) || buf.Len() != 0 {
			t.Errorf("WriteWith(%s, %+v) = %v, %d bytes; want ErrNotCleared and nothing written", tc.level, tc.viewer.Role, err, buf.Len())
		}
	}
	if err := WriteWith(&bytes.Buffer{}, ds, Options{Format: "pdf"}); err == nil {
		t.Errorf("WriteWith(pdf) = nil; want an error")
	}
	if err := WriteWith(&bytes.Buffer{}, ds, Options{Format: "text", Lang: "fr"}); err == nil {
		t.Errorf("WriteWith(text, fr) = nil; want an error")
	}
}

// TestHXL: the hxl format has the header, then the hashtag row, no BOM,
// and the province and city at team level.
func TestHXL(t *testing.T) {
	ds := levelDemands()
	out := render(t, ds, Options{Format: "hxl"})
	lines := strings.Split(out, "\n")
	if strings.HasPrefix(out, "\ufeff") || lines[0] != strings.Join(HXLHeader, ",") || lines[1] != strings.Join(HXLTags, ",") {
		t.Fatalf("hxl bulletin starts %q", lines[:2])
	}
	for _, tag := range []string{"#org", "#adm1", "#adm2", "#item+name", "#item+needed", "#item+received", "#status", "#date+updated"} {
		if !strings.Contains(lines[1], tag) {
			t.Errorf("hxl hashtag row %q lacks %s", lines[1], tag)
		}
	}
	team := render(t, ds, Options{Format: "hxl", Level: relief.LevelTeam, Viewer: relief.Member{Key: key(2), Role: relief.RoleVolunteer}})
	if !strings.Contains(team, "湖北省,武汉市,江汉区") || !strings.Contains(strings.Split(team, "\n")[1], "#loc") {
		t.Errorf("team hxl bulletin lacks the province, city and #loc:\n%s", team)
	}
	// The importer reads it back: the hashtags map the columns.
	recs, probs, err := readBack(t, "b.hxl.csv", []byte(out))
	if err != nil || len(recs) != 2 || recs[0].Org != "武汉市第一医院" || len(recs[0].Items) != 2 {
		t.Errorf("hxl read back = %+v, %v, %v; want the 2 demands", recs, probs, err)
	}
}

// TestText: the text summary in both languages.
func TestText(t *testing.T) {
	ds := levelDemands()
	ds[0].UpdatedAt = ledger.Stamp{Wall: 1700000000000}
	for lang, want := range map[string][]string{
		"zh-CN": {"【需求公告】共 2 条，更新于 2023-11-15 06:13（北京时间）", "1. D-AAAA0 武汉市第一医院（江汉区，防护用品，紧急）", "需要：N95口罩 5000 只（已收 1000），护目镜（数量不详）", "状态：已发布"},
		"en":    {"Demand bulletin: 2 demands, updated 2023-11-15 06:13 (UTC+8)", "1. D-AAAA0 武汉市第一医院 (江汉区, Protective equipment, URGENT)", "Needs: N95口罩 5000 只 (received 1000), 护目镜 (quantity unknown)", "Status: Published"},
	} {
		out := render(t, ds, Options{Format: "text", Lang: lang})
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("text bulletin (%s) lacks %q:\n%s", lang, w, out)
			}
		}
	}
	out := render(t, ds, Options{Format: "text", Lang: "en", Level: relief.LevelRestricted, Viewer: relief.Member{Key: key(1), Role: relief.RoleReviewer}})
	if !strings.Contains(out, "Address: 湖北省武汉市江汉区TEAM路0") || !strings.Contains(out, "Contact: RESTRICTED王老师 +8613800000000") {
		t.Errorf("restricted text bulletin lacks the address or contact:\n%s", out)
	}
}

func readBack(t *testing.T, name string, data []byte) ([]importer.Record, []importer.Problem, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return importer.ReadFile(path, importer.DefaultOptions())
}

// TestMobileAsQuantity: a supplies cell such as "N95口罩 10个 请打13712345678"
// was read as an item 请打 needing 13712345678 (a tester's find), and every
// bulletin printed the mobile number as a quantity. A quantity whose digits
// are a Chinese mobile number is never a quantity: no bulletin of any level
// below restricted prints it, and the item shows as needed, amount unknown.
func TestMobileAsQuantity(t *testing.T) {
	ds := []relief.Demand{{ID: "id1", Code: "D-AAAA1", Title: "社区医院急需口罩", RequesterOrg: "某社区医院", District: "江岸区",
		Category: "protective_equipment", Status: relief.StatusPublished,
		Items: []relief.Item{{Name: "N95口罩", Unit: "个", Needed: num(10)}, {Name: "请打", Needed: num(13712345678), Received: 13712345678}}}}
	volunteer := relief.Member{Key: key(2), Role: relief.RoleVolunteer}
	for _, level := range []relief.Level{relief.LevelPublic, relief.LevelTeam} {
		for _, o := range formatsAt(level, volunteer) {
			out := render(t, ds, o)
			if strings.Contains(out, "13712345678") || strings.Contains(out, "1.3712345678e+10") || strings.Contains(out, "13,712,345,678") {
				t.Errorf("%s %s %s bulletin prints the mobile number as a quantity:\n%s", o.Format, o.Lang, level, out)
			}
			if !strings.Contains(out, "N95") {
				t.Errorf("%s %s %s bulletin lost the real item:\n%s", o.Format, o.Lang, level, out)
			}
		}
	}
}

// TestSourceFieldsAtTeamLevel: the cells of an imported row that no field
// holds are exported at team level and above (table and JSON formats), with
// the phone numbers in them masked below restricted; never in public
// bulletins.
func TestSourceFieldsAtTeamLevel(t *testing.T) {
	ds := levelDemands()
	for i := range ds {
		ds[i].SourceFields = []relief.SourceField{{Column: "其他信息", Value: "SRCCELL 今晚封城，联系 13800000000"}, {Column: "J", Value: "已配送"}}
	}
	coordinator := relief.Member{Key: key(1), Role: relief.RoleCoordinator}
	for _, tc := range []struct {
		level   relief.Level
		want    []string
		wantNot []string
	}{
		{relief.LevelPublic, nil, []string{"SRCCELL", "已配送", "其他信息"}},
		{relief.LevelTeam, []string{"其他信息", "SRCCELL 今晚封城", "已配送"}, []string{"13800000000"}},
		{relief.LevelRestricted, []string{"其他信息", "SRCCELL 今晚封城，联系 13800000000", "已配送"}, nil},
	} {
		for _, o := range formatsAt(tc.level, coordinator) {
			if o.Format == "text" {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s", tc.level, o.Format), func(t *testing.T) {
				out := render(t, ds, o)
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("%s bulletin lacks %q:\n%s", tc.level, w, out)
					}
				}
				for _, w := range tc.wantNot {
					if strings.Contains(out, w) {
						t.Errorf("%s bulletin holds %q:\n%s", tc.level, w, out)
					}
				}
			})
		}
	}
}

// TestDuplicateColumn: team and restricted bulletins (CSV, XLSX, JSON) carry
// each demand's duplicate flag as the code of its original; public ones
// never.
func TestDuplicateColumn(t *testing.T) {
	ds := levelDemands()
	dups := map[string]string{ds[1].ID: "D-ORIG01"}
	coordinator := relief.Member{Key: key(1), Role: relief.RoleCoordinator}
	for _, level := range []relief.Level{relief.LevelPublic, relief.LevelTeam, relief.LevelRestricted} {
		for _, format := range []string{"csv", "xlsx", "json"} {
			out := render(t, ds, Options{Format: format, Level: level, Viewer: coordinator, Duplicates: dups})
			has := strings.Contains(out, "D-ORIG01")
			col := strings.Contains(out, "duplicate_of")
			if want := level >= relief.LevelTeam; has != want || col != want {
				t.Errorf("%s %s bulletin: original's code %v, duplicate_of %v; want %v", level, format, has, col, want)
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteWith(&buf, ds, Options{Format: "csv", Level: relief.LevelTeam, Viewer: coordinator, Duplicates: dups}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(buf.String(), "\n")[2:] {
		if strings.HasPrefix(line, ds[0].Code) && strings.Contains(line, "D-ORIG01") {
			t.Errorf("row of unflagged %s carries the flag: %q", ds[0].Code, line)
		}
	}
}
