package importer

import (
	"errors"
	"strings"
	"testing"
)

// A JSON file cut short (a download or a copy that stopped) is told as cut
// short, with the line, column and byte where it ends, not as "unexpected
// EOF"; a syntax error names its line and column.
func TestJSONCutShortSaysWhere(t *testing.T) {
	_, err := ReadTables("broken.json", []byte("{\"data\": [{\"name\": \"a\",\n"))
	var fe *FileError
	if !errors.As(err, &fe) || fe.Reason != FileCutShort || fe.Line != 2 || fe.Byte != 24 || fe.File != "broken.json" {
		t.Fatalf("ReadTables(cut short) = %v (%+v); want a FileError cut_short at line 2, byte 24", err, fe)
	}
	if !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("message %q; want it to say the file is cut short, and where", err)
	}
	_, err = ReadTables("broken2.json", []byte("[{\"name\": \"甲医院\", \"supplies\": \"N95\"},\n {\"name\": \"乙医院\" \"supplies\": \"口罩\"}]"))
	if !errors.As(err, &fe) || fe.Reason != FileInvalid || fe.Line != 2 || fe.Column != 17 {
		t.Fatalf("ReadTables(syntax error) = %v (%+v); want invalid at line 2, column 17 (the second quote after 乙医院)", err, fe)
	}
}
