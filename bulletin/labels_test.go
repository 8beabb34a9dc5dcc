package bulletin

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/reliefmesh/reliefmesh/relief"
)

// TestLabelsMatchLocales: the statuses, categories and urgencies of file
// bulletins are the UI's own labels (frontend/src/locales), in both
// languages, and every category, status and urgency has one.
func TestLabelsMatchLocales(t *testing.T) {
	for _, lang := range Langs {
		b, err := os.ReadFile(filepath.Join("..", "frontend", "src", "locales", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var loc map[string]any
		if err := json.Unmarshal(b, &loc); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		lb, ok := LabelsOf(lang)
		if !ok {
			t.Fatalf("LabelsOf(%s) = false", lang)
		}
		evidenceKinds, _ := loc["evidence"].(map[string]any)
		for group, words := range map[string]map[string]string{"status": lb.Statuses, "category": lb.Categories, "urgency": lb.Urgencies, "evidence.kind": lb.Evidence} {
			ui, _ := loc[group].(map[string]any)
			if group == "evidence.kind" {
				ui, _ = evidenceKinds["kind"].(map[string]any)
			}
			for code, w := range words {
				if ui[code] != w {
					t.Errorf("%s %s.%s = %q in the bulletin, %q in the UI", lang, group, code, w, ui[code])
				}
			}
		}
		for _, c := range relief.Categories {
			if lb.Categories[c] == "" {
				t.Errorf("%s: category %s has no label", lang, c)
			}
		}
		for _, col := range append(append(append(append([]string{}, Header...), HXLHeader...), TeamHeader...), RestrictedHeader...) {
			if lb.Columns[col] == "" {
				t.Errorf("%s: column %s has no header", lang, col)
			}
		}
		for _, k := range sheetWords {
			if lb.Sheet[k] == "" {
				t.Errorf("%s: sheet word %s missing", lang, k)
			}
		}
	}
}

// TestChineseFiles: a zh-CN CSV has Chinese headers and values with the HXL
// row kept; an XLSX has them too, its header frozen, a filter on it, and a
// metadata sheet; JSON keeps its codes and adds the labels; units given as
// codes are translated.
func TestChineseFiles(t *testing.T) {
	ds := levelDemands()
	ds[0].Items[1].Unit = "piece"
	csv := render(t, ds, Options{Format: "csv", Lang: "zh-CN"})
	for _, want := range []string{"编号,标题,需求单位,区县,类别,状态,紧急程度", "#meta+code,", ",防护用品,已发布,紧急,", ",护目镜,,个,"} {
		if !strings.Contains(csv, want) {
			t.Errorf("zh-CN csv lacks %q:\n%s", want, csv)
		}
	}
	if strings.Contains(csv, "published") || strings.Contains(csv, "protective_equipment") {
		t.Errorf("zh-CN csv holds codes:\n%s", csv)
	}
	js := render(t, ds, Options{Format: "json", Lang: "zh-CN"})
	for _, want := range []string{`"status": "published"`, `"labels": {`, `"status": "已发布"`, `"category": "防护用品"`, `"unit_label": "个"`} {
		if !strings.Contains(js, want) {
			t.Errorf("zh-CN json lacks %q:\n%s", want, js)
		}
	}
	var buf bytes.Buffer
	if err := WriteWith(&buf, ds, Options{Format: "xlsx", About: About{Network: "武汉测试", NetworkID: "abc", Member: "张三", Unpublished: 3}}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "需求" || got[1] != "说明" {
		t.Fatalf("sheets = %q; want 需求, 说明", got)
	}
	panes, err := f.GetPanes("需求")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes = %+v, %v; want the two header rows frozen", panes, err)
	}
	if v, _ := f.GetCellValue("需求", "F3"); v != "已发布" {
		t.Errorf("F3 = %q; want 已发布", v)
	}
	if typ, _ := f.GetCellType("需求", "K3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("needed K3 is a string (type %v); want a number", typ)
	}
	if wTitle, _ := f.GetColWidth("需求", "B"); wTitle <= 12 {
		t.Errorf("title column width %v; want it set from the titles", wTitle)
	}
	about, _ := f.GetRows("说明")
	text := ""
	for _, r := range about {
		text += strings.Join(r, "=") + "\n"
	}
	for _, want := range []string{"网络=武汉测试", "导出成员=张三", "级别=公开", "需求条数=2", "未发布（未包含）=3"} {
		if !strings.Contains(text, want) {
			t.Errorf("metadata sheet lacks %q:\n%s", want, text)
		}
	}
	if sheet := sheetXML(t, data); !strings.Contains(sheet, `<autoFilter ref="$A$2:`) {
		t.Errorf("data sheet has no autofilter starting on the hashtag row (A2), so sorting would move that row among the demands:\n%s", sheet)
	}
}

// sheetXML returns the XML of the first worksheet of a workbook.
func sheetXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, err := z.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(x)
}

// TestTextUsesTheUIWords: the text bulletin names statuses and categories
// with the UI's words (a tester saw 待审核 and 进行中 in the text where the
// UI and the table bulletins say 已收集 and 处理中).
func TestTextUsesTheUIWords(t *testing.T) {
	for _, lang := range Langs {
		lb, _ := LabelsOf(lang)
		for _, st := range []relief.Status{relief.StatusCollected, relief.StatusInProgress, relief.StatusRejected, relief.StatusPublished} {
			ds := levelDemands()[:1]
			ds[0].Status = st
			out := render(t, ds, Options{Format: "text", Lang: lang, Level: relief.LevelRestricted, Viewer: relief.Member{Key: key(1), Role: relief.RoleCoordinator}})
			if w := lb.Statuses[string(st)]; w == "" || !strings.Contains(out, w) {
				t.Errorf("%s text bulletin of a %s demand lacks the UI's word %q:\n%s", lang, st, w, out)
			}
			if w := lb.Categories[ds[0].Category]; !strings.Contains(out, w) {
				t.Errorf("%s text bulletin lacks the UI's category word %q:\n%s", lang, w, out)
			}
		}
	}
}
