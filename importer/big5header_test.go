package importer

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/text/encoding/traditionalchinese"
)

// TestTraditionalHeaders: a CSV written in Big5 (as Excel in Hong Kong and
// Taiwan saves it) whose headers are in traditional characters — 需求單位,
// 聯繫人, 聯繫電話, 物資, 數量, 地址, 備註, and Taiwan's 聯絡人 — is
// mapped as its simplified twin is: each column to its field, none left
// unmapped, and the records read. The file is built here, encoded by
// golang.org/x/text's Big5 encoder, and written to disk.
func TestTraditionalHeaders(t *testing.T) {
	text := "需求單位,聯繫人,聯繫電話,物資,數量,地址,備註,聯絡人,醫院名稱\n" +
		"香港仁濟醫院,陳先生,13800000001,口罩,500,荃灣仁濟街7號,急需,李小姐,仁濟\n"
	b, err := traditionalchinese.Big5.NewEncoder().String(text)
	if err != nil {
		t.Fatalf("encode Big5: %v", err)
	}
	path := filepath.Join(t.TempDir(), "需求_big5.csv")
	if err := os.WriteFile(path, []byte(b), 0o644); err != nil {
		t.Fatal(err)
	}
	tabs, err := ReadTables(path, []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(tabs) != 1 || tabs[0].Encoding != "big5" {
		t.Fatalf("ReadTables = %d tables, encoding %q; want one, big5", len(tabs), tabs[0].Encoding)
	}
	// the same file in simplified characters, in UTF-8: its mapping is the
	// one wanted
	twin := "需求单位,联系人,联系电话,物资,数量,地址,备注,联络人,医院名称\n" +
		"香港仁济医院,陈先生,13800000001,口罩,500,荃湾仁济街7号,急需,李小姐,仁济\n"
	twinTabs, err := ReadTables("twin.csv", []byte(twin))
	if err != nil {
		t.Fatal(err)
	}
	got, want := SuggestMapping(tabs[0]), SuggestMapping(twinTabs[0])
	if len(got.Columns) != 9 || len(want.Columns) != 9 {
		t.Fatalf("mappings of %d and %d columns; want 9", len(got.Columns), len(want.Columns))
	}
	for i, c := range got.Columns {
		if c.Field != want.Columns[i].Field || c.Field == FieldIgnore {
			t.Errorf("column %q mapped to %q; its simplified twin %q to %q", c.Header, c.Field, want.Columns[i].Header, want.Columns[i].Field)
		}
	}
	recs, probs, err := ReadFile(path, DefaultOptions())
	if err != nil || len(recs) != 1 {
		t.Fatalf("ReadFile = %d records, %v; problems %v", len(recs), err, probs)
	}
	r := recs[0]
	if r.Org != "香港仁濟醫院" || r.Address == "" || len(r.Contacts) == 0 || len(r.Items) != 1 || r.Items[0].Needed == nil || *r.Items[0].Needed != 500 {
		t.Errorf("record = %+v; want 香港仁濟醫院 with its address, contacts and 500 口罩", r)
	}
	if ps := problemsOf(probs, ProblemUnmappedColumn); len(ps) != 0 {
		t.Errorf("unmapped columns: %v", ps)
	}
}
