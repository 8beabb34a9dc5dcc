package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// englishWord is a word of a sentence (a flag's, a path's or a verb's
// letters too: three of them make the literal suspect).
var englishWord = regexp.MustCompile(`\b[A-Za-z]{2,}\b`)

// saidInEnglishOnly are the English literals the scan lets through, each
// with why: none reaches a person in one language only.
var saidInEnglishOnly = map[string]string{
	// control socket answers: the client says them after a Chinese sentence
	// of its own (hubClient.do, ctl.refused)
	"unlock: %w": "control socket", "endorse: bad request: %w": "control socket", "undo import: bad request: %w": "control socket",
	"join: bad request: %w": "control socket", "join: %w": "control socket", "--since-file: not a version vector: %w": "control socket",
	"--for: %w": "control socket", "import: bad request: %w": "control socket", "import cancel: no id": "control socket",
	"export: bad request: %w": "control socket", "covenant: bad request: %w": "control socket",
	// the control socket's own failures: logged by serve (logs are English)
	"control socket %s: a file that is not a socket is in the way": "log", "control socket %s: remove stale socket: %w": "log",
	// a command to type, not a sentence
	"    systemctl start reliefmesh-hub && journalctl -u reliefmesh-hub -f": "command",
}

// TestNoEnglishOnlySentence scans the hub's sources: a string literal that
// is an English sentence (three English words, no Chinese) given
// to fmt.Fprint*, fmt.Errorf, errors.New or fmt.Sprintf is what a person
// reads in English whatever --lang says, unless saidInEnglishOnly names it.
// The words go through speaker.t / errorf (lang.go, words.go, help.go).
func TestNoEnglishOnlySentence(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "lang.go" || name == "words.go" || name == "help.go" {
			continue // the tables themselves
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || !(pkg.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Fprint") || pkg.Name == "fmt" && sel.Sel.Name == "Errorf" ||
				pkg.Name == "fmt" && sel.Sel.Name == "Sprintf" || pkg.Name == "errors" && sel.Sel.Name == "New") {
				return true
			}
			for _, a := range call.Args {
				lit, ok := a.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					continue
				}
				if len(englishWord.FindAllString(s, -1)) >= 3 && !hasHan(s) {
					if _, ok := saidInEnglishOnly[s]; !ok {
						t.Errorf("%s: %s.%s(%q): English only; say it through speaker.t (words.go)", fset.Position(lit.Pos()), pkg.Name, sel.Sel.Name, s)
					}
				}
			}
			return true
		})
	}
}
