package bulletin

import (
	"bytes"
	"strings"

	"github.com/xuri/excelize/v2"
	"pgregory.net/rapid"
)

type fataler interface{ Fatal(...any) }

var _ = rapid.Check

func xlsxText(t fataler, b []byte) string {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, r := range rows {
		sb.WriteString(strings.Join(r, "\t"))
		sb.WriteByte('\n')
	}
	return sb.String()
}
