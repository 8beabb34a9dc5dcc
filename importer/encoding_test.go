package importer

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// utf8Sheet is a CSV of n rows of Chinese text, every cell multi-byte.
func utf8Sheet(n int) string {
	var b strings.Builder
	b.WriteString("单位名称,地址,所需物资,联系方式\n")
	for i := 1; i <= n; i++ {
		b.WriteString("武汉市第" + itoa(i) + "社区卫生服务中心,武汉市江汉区香港路" + itoa(i) + "号,医用外科口罩 " + itoa(i*100) + "个,张老师 1380000" + itoa(1000+i) + "\n")
	}
	return b.String()
}

// TestDecodeTruncatedUTF8: a UTF-8 file cut inside a multi-byte character was
// decoded as GBK or Windows-1252, and its rows stored garbled. It is UTF-8
// with its last row cut: that row is reported and not used, the others read
// as written.
func TestDecodeTruncatedUTF8(t *testing.T) {
	whole := utf8Sheet(20)
	for cut := 1; cut <= 2; cut++ {
		// cut inside the last character of the last row's address ("号" is 3 bytes)
		i := strings.LastIndex(whole, "号")
		data := []byte(whole[:i+cut])
		if utf8.Valid(data) {
			t.Fatalf("cut %d: test data is valid UTF-8", cut)
		}
		text, enc := Decode(data)
		if !strings.HasPrefix(enc, "utf-8") || !strings.Contains(text, "武汉市第1社区") {
			t.Errorf("cut %d: Decode = %q …; want UTF-8", cut, enc)
		}
		tb, err := ReadCSV("cut.csv", strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("cut %d: ReadCSV = %v", cut, err)
		}
		if len(tb.Rows) != 19 {
			t.Errorf("cut %d: %d rows kept; want 19 (the cut row not used)", cut, len(tb.Rows))
		}
		var found []Problem
		for _, p := range tb.Problems {
			if p.Code == ProblemRowCut {
				found = append(found, p)
			}
		}
		if len(found) != 1 || found[0].Row != 21 || !found[0].Rejected {
			t.Errorf("cut %d: problems %v; want one %s at row 21, rejected", cut, tb.Problems, ProblemRowCut)
		}
		for _, r := range tb.Rows {
			if !strings.HasPrefix(r.Cells[0], "武汉市第") {
				t.Errorf("cut %d: row %d reads %q; garbled", cut, r.Num, r.Cells[0])
			}
		}
	}
}

// TestLastRowCutShort: a file that ends without a line break in a row with
// fewer cells than the header was cut short; the row is reported, not stored.
// A last row with every cell but no final line break is whole.
func TestLastRowCutShort(t *testing.T) {
	whole := utf8Sheet(3)
	cut := whole[:strings.LastIndex(whole, ",张老师")] // the contact cell is missing
	tb, err := ReadCSV("short.csv", strings.NewReader(cut))
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Rows) != 2 || len(tb.Problems) != 1 || tb.Problems[0].Code != ProblemRowCut || tb.Problems[0].Row != 4 {
		t.Errorf("cut short: %d rows, problems %v; want 2 rows and %s at row 4", len(tb.Rows), tb.Problems, ProblemRowCut)
	}
	tb, err = ReadCSV("whole.csv", strings.NewReader(strings.TrimSuffix(whole, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	// every line but the last ends in a line break: it reads whole, but a
	// copy cut inside its last cell reads the same, so it is told (session 13)
	if len(tb.Rows) != 3 || len(tb.Problems) != 1 || tb.Problems[0].Code != ProblemLastRowMayBeCut || tb.Problems[0].Rejected {
		t.Errorf("whole without final newline: %d rows, problems %v; want 3, and the last told as possibly cut", len(tb.Rows), tb.Problems)
	}
}

// TestDecodeGBKStillGBK: the truncation rule must not take a GBK file for
// UTF-8, nor a GBK file cut in its last character.
func TestDecodeGBKStillGBK(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(utf8Sheet(5))
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{gb, gb[:len(gb)-2]} {
		text, enc := Decode([]byte(data))
		if enc != "gb18030" || !strings.Contains(text, "武汉市第1社区") {
			t.Errorf("Decode(GBK) = %s, %q…", enc, text[:min(len(text), 40)])
		}
	}
}

// TestDecodeDamagedUTF8: a UTF-8 file with a few damaged bytes in the middle
// is still UTF-8; the damage is reported (ProblemEncoding), never hidden by
// decoding the whole file as another encoding.
func TestDecodeDamagedUTF8(t *testing.T) {
	whole := []byte(utf8Sheet(20))
	i := strings.Index(string(whole), "第7社区")
	whole[i+1] = 0xff // break one character
	tb, err := ReadCSV("damaged.csv", strings.NewReader(string(whole)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tb.Encoding, "utf-8") {
		t.Errorf("encoding %q; want utf-8", tb.Encoding)
	}
	var found bool
	for _, p := range tb.Problems {
		found = found || p.Code == ProblemEncoding
	}
	if !found || len(tb.Rows) != 20 {
		t.Errorf("%d rows, problems %v; want 20 rows and %s", len(tb.Rows), tb.Problems, ProblemEncoding)
	}
	if !strings.HasPrefix(tb.Rows[0].Cells[0], "武汉市第1") {
		t.Errorf("row 1 reads %q", tb.Rows[0].Cells[0])
	}
}

// TestDecodeDamagedGBK: a GBK file with a damaged byte was read as
// Windows-1252, every Chinese character garbled; it is GB18030 with the bad
// byte reported.
func TestDecodeDamagedGBK(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(utf8Sheet(10))
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(gb)
	i := strings.Index(gb, "\n") + 1
	b = append(b[:i:i], append([]byte{0xff}, b[i:]...)...) // a stray byte at the start of row 2
	d := DecodeText(b)
	if d.Encoding != "gb18030" || d.Bad == 0 || !strings.Contains(d.Text, "武汉市第2社区") {
		t.Errorf("DecodeText(damaged GBK) = %s, %d bad; want gb18030 with the bad byte counted", d.Encoding, d.Bad)
	}
}
