package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/reliefmesh/reliefmesh/ledger"
	"github.com/reliefmesh/reliefmesh/relief"
	"github.com/reliefmesh/reliefmesh/store"
	"github.com/reliefmesh/reliefmesh/sync/bundle"
)

// TestDamagedBundleSaysWhatWasRead: a tester carried a bundle cut short, one
// with flipped bytes and an empty one to a hub of the same network. The cut
// one got an English-only line and a hint saying "nothing was written" when
// 1 of 3 changes was; the flipped one was told as a member's malformed
// change and stayed in status as "refused: malformed"; the empty one was
// "not a bundle". Each now says, in the hub's language, how many changes
// were read, written and never read, and to copy the file again; none
// counts as a refusal.
func TestDamagedBundleSaysWhatWasRead(t *testing.T) {
	_, b, whole := threeDemandBundle(t)
	file := func(name string, data []byte) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, data, 0o644)
		return p
	}
	// bytes changed inside a title so that the frame no longer reads as a
	// change (the tester's "not valid UTF-8")
	flipped := bytes.Replace(whole, []byte("防护服"), bytes.Repeat([]byte{0xff}, len("防护服")), 1)
	if bytes.Equal(flipped, whole) {
		t.Fatal("no title to damage in the bundle")
	}
	for _, tc := range []struct {
		name, path string
		zh, en     []string
	}{
		{"cut short", file("cut.rmbundle", whole[:len(whole)*2/3]),
			[]string{"不完整", "读到并验证了", "没有读到", "请重新复制"},
			[]string{"incomplete", "were read and verified", "never read", "Copy it again"}},
		{"flipped", file("flip.rmbundle", flipped),
			[]string{"已损坏", "没有读到", "不是哪位成员的错误更改", "请重新复制"},
			[]string{"damaged", "never read", "no member's change is at fault", "Copy it again"}},
		{"empty", file("empty.rmbundle", nil),
			[]string{"空的", "复制没有完成", "请重新复制"},
			[]string{"empty", "the copy did not finish", "Copy it again"}},
	} {
		out, err := run(t, "bundle", "import", tc.path, "--data-dir", b)
		if err == nil {
			t.Fatalf("%s: bundle import = nil\n%s; want an error", tc.name, out)
		}
		zh, en := explainIn(langZH, err), explainIn(langEN, err)
		for _, w := range tc.zh {
			if !strings.Contains(zh, w) {
				t.Errorf("%s: zh-CN says %q; want %q in it", tc.name, zh, w)
			}
		}
		for _, w := range tc.en {
			if !strings.Contains(en, w) {
				t.Errorf("%s: en says %q; want %q in it", tc.name, en, w)
			}
		}
		if strings.Contains(zh, "什么都没有写入") && strings.Contains(out, "新写入 1") {
			t.Errorf("%s: says nothing was written, yet the summary says 1 was", tc.name)
		}
	}
	out, err := run(t, "status", "--data-dir", b)
	if err != nil || strings.Contains(out, "malformed") || strings.Contains(out, "refused") {
		t.Errorf("status after the damaged files = %v\n%s; want no refusal counted", err, out)
	}
}

// TestDamagedBundleSaysWhatIsMissing: one byte of a change in the middle of
// a bundle is changed (a failing USB stick). The import reads every change
// after it, and says — without a serving hub and through one, in Chinese
// and English — where the damage is (the byte), how many changes were read
// after it, which changes this hub still lacks (the member's name and short
// id, the seq range), and to copy the file again or catch up from a peer.
func TestDamagedBundleSaysWhatIsMissing(t *testing.T) {
	a := t.TempDir()
	if out, err := run(t, "init", "--name", "武汉 2020", "--member-name", "甲", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	sa := must(store.Open(a, store.Options{}))
	net, _ := sa.Network()
	for i := range 8 {
		if _, err := sa.RecordDemand(relief.Demand{Title: fmt.Sprintf("需求 %d", i), Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	me := sa.Device()
	var wantSeq uint64
	var enc []byte
	sa.ChangesSince(nil, func(c *ledger.Change) error { // the change of 需求 4
		b, _ := ledger.Encode(c)
		if bytes.Contains(b, []byte("需求 4")) {
			wantSeq, enc = c.Seq, b
		}
		return nil
	})
	sa.Close()
	stick := filepath.Join(t.TempDir(), "a.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", stick, "--data-dir", a); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	whole, _ := os.ReadFile(stick)
	h, err := bundle.ReadHeader(bytes.NewReader(whole))
	if err != nil {
		t.Fatal(err)
	}
	last := h.UpTo[me]
	at := bytes.Index(whole, enc)
	if at < 0 || wantSeq == 0 {
		t.Fatal("the change of 需求 4 is not in the bundle")
	}
	damaged := bytes.Clone(whole)
	damaged[at] ^= 0x10 // the change's first byte: it no longer reads as a change
	path := filepath.Join(t.TempDir(), "damaged.rmbundle")
	os.WriteFile(path, damaged, 0o644)

	for _, through := range []string{"directly", "through serve"} {
		t.Run(through, func(t *testing.T) {
			b := t.TempDir()
			sb := must(store.Open(b, store.Options{}))
			sb.JoinNetwork(net.ID)
			sb.Close()
			var s *served
			if through == "through serve" {
				s = startServe(t, b, serveOptions{})
				defer s.stop()
			}
			out, err := run(t, "bundle", "import", path, "--data-dir", b)
			if err == nil {
				t.Fatalf("bundle import of a damaged file = nil error\n%s", out)
			}
			var fe *bundle.FileError
			if !errors.As(err, &fe) || len(fe.Missing) != 1 || fe.Missing[0].From != wantSeq || fe.Missing[0].To != last {
				t.Fatalf("bundle import = %v; want a damaged file missing %s %d-%d", err, me.Short(), wantSeq, last)
			}
			after := int(last - wantSeq) // the changes of the feed after the damaged one: read, refused as a gap
			offset := strconv.FormatInt(fe.Damage[0].Offset, 10)
			if fe.ReadAfter != after || fe.Damage[0].Offset > int64(at) || fe.Damage[0].Offset < int64(at-3) {
				t.Errorf("read after %d, damage %+v; want %d read after a damage at the frame of byte %d", fe.ReadAfter, fe.Damage, after, at)
			}
			zh, en := explainIn(langZH, err), explainIn(langEN, err)
			for _, w := range []string{"已损坏", "第 " + offset + " 字节", fmt.Sprintf("又读到了 %d 条", after),
				fmt.Sprintf("甲（%s）的第 %d–%d 条", me.Short(), wantSeq, last), "重新复制", "取回缺少的更改"} {
				if !strings.Contains(zh, w) {
					t.Errorf("zh-CN says %q; want %q in it", zh, w)
				}
			}
			for _, w := range []string{"damaged", "from byte " + offset, fmt.Sprintf("reading went on after them, %d more read.", after),
				fmt.Sprintf("甲 (%s)'s changes %d–%d", me.Short(), wantSeq, last), "Copy it again", "catch up from a peer or hub"} {
				if !strings.Contains(en, w) {
					t.Errorf("en says %q; want %q in it", en, w)
				}
			}
		})
	}
}

// threeDemandBundle makes a hub data directory a (a network "武汉 2020" of
// member 甲 with three demands), a second one b that joined the network and
// holds nothing, and returns them with the bytes of a's whole bundle.
func threeDemandBundle(t *testing.T) (a, b string, whole []byte) {
	t.Helper()
	a, b = t.TempDir(), t.TempDir()
	if out, err := run(t, "init", "--name", "武汉 2020", "--member-name", "甲", "--data-dir", a); err != nil {
		t.Fatalf("init = %v\n%s", err, out)
	}
	sa := must(store.Open(a, store.Options{}))
	net, _ := sa.Network()
	for _, title := range []string{"N95 口罩", "防护服", "消毒液"} {
		if _, err := sa.RecordDemand(relief.Demand{Title: title, Category: "other"}); err != nil {
			t.Fatal(err)
		}
	}
	sa.Close()
	sb := must(store.Open(b, store.Options{}))
	sb.JoinNetwork(net.ID)
	sb.Close()
	stick := filepath.Join(t.TempDir(), "a.rmbundle")
	if out, err := run(t, "bundle", "export", "-o", stick, "--data-dir", a); err != nil {
		t.Fatalf("bundle export = %v\n%s", err, out)
	}
	whole, err := os.ReadFile(stick)
	if err != nil {
		t.Fatal(err)
	}
	return a, b, whole
}
