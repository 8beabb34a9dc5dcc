package main

import (
	"strings"
	"testing"
)

// TestImportDryRunShowsDecodedRows: a UTF-8 file cut inside a character was
// read as another encoding and 20 garbled demands were stored, exit 0, not
// even --dry-run showing it. --dry-run prints the first rows as decoded and
// the cut row; the rows read right.
func TestImportDryRunShowsDecodedRows(t *testing.T) {
	dir := initDir(t)
	var b strings.Builder
	b.WriteString("单位名称,地址,所需物资,联系方式\n")
	for i := 1; i <= 20; i++ {
		b.WriteString("武汉市第" + strings.Repeat("一", i%3+1) + "社区,武汉市江汉区香港路号,口罩,张老师 13800000001\n")
	}
	data := b.String()
	data = data[:strings.LastIndex(data, "号")+1] // cut inside the last 号
	file := writeTemp(t, "cut.csv", data)
	out, err := run(t, "import", file, "--dry-run", "--data-dir", dir)
	if err != nil {
		t.Fatalf("import --dry-run = %v\n%s", err, out)
	}
	for _, want := range []string{"read as utf-8", "header (row 1): 单位名称 | 地址 | 所需物资 | 联系方式", "row 2: 武汉市第", "read:       19 records", "row 21"} {
		if !strings.Contains(out, want) {
			t.Errorf("import --dry-run printed\n%s\nwant it to contain %q", out, want)
		}
	}
	if strings.Contains(out, "æ") {
		t.Errorf("import --dry-run shows garbled text:\n%s", out)
	}
}
