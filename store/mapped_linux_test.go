package store

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// mappingRSS returns the resident kB of the mapping that starts at addr, from
// /proc/self/smaps.
func mappingRSS(t *testing.T, addr uintptr) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	head := strconv.FormatUint(uint64(addr), 16) + "-"
	in := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(strings.Fields(line)[0], "-") && !strings.HasSuffix(strings.Fields(line)[0], ":") {
			in = strings.HasPrefix(line, head)
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			kb, err := strconv.Atoi(strings.Fields(line)[1])
			if err != nil {
				t.Fatalf("smaps line %q: %v", line, err)
			}
			return kb
		}
	}
	t.Fatalf("no mapping at %x in /proc/self/smaps", addr)
	return 0
}

// mapFile maps the file path of size bytes (shared, read-write, as Badger
// maps its files), fills it with a pattern through the mapping, and returns
// the mapping.
func mapFile(t *testing.T, path string, size int) []byte {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(int64(size)); err != nil {
		t.Fatal(err)
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(m) })
	for i := range m {
		m[i] = byte(i % 251)
	}
	return m
}

// TestReleaseMapped: the pages of a file mapped under the directory leave
// the resident set and read back unchanged (written back, then read again);
// a mapping outside the directory keeps its pages.
func TestReleaseMapped(t *testing.T) {
	const size = 4 << 20
	root := t.TempDir()
	db, other := filepath.Join(root, "db"), filepath.Join(root, "other")
	for _, d := range []string{db, other} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	in := mapFile(t, filepath.Join(db, "000001.vlog"), size)
	out := mapFile(t, filepath.Join(other, "keep.vlog"), size)
	addr := func(m []byte) uintptr { return uintptr(unsafe.Pointer(&m[0])) }
	if kb := mappingRSS(t, addr(in)); kb < size/1024/2 {
		t.Fatalf("before: %d kB of the mapping resident; want most of %d", kb, size/1024)
	}

	n, err := releaseMapped(db)
	if errors.Is(err, syscall.EINVAL) {
		t.Skipf("this kernel has no MADV_PAGEOUT: %v", err)
	}
	if err != nil {
		t.Fatalf("releaseMapped(%s): %v", db, err)
	}
	if n < size {
		t.Errorf("releaseMapped advised %d bytes; want at least the %d mapped under %s", n, size, db)
	}
	if kb := mappingRSS(t, addr(in)); kb > size/1024/4 {
		t.Errorf("after: %d kB of the mapping under %s still resident; want it released", kb, db)
	}
	if kb := mappingRSS(t, addr(out)); kb < size/1024/2 {
		t.Errorf("after: %d kB of the mapping outside %s resident; want it kept", kb, db)
	}
	for i := range in {
		if in[i] != byte(i%251) {
			t.Fatalf("byte %d of the released mapping reads %d; want %d", i, in[i], i%251)
		}
	}
}

// TestScanTrim: a scan releases the mapped pages once it has read
// scanTrimEvery bytes, not before.
func TestScanTrim(t *testing.T) {
	const size = 1 << 20
	db := filepath.Join(t.TempDir(), "db")
	if err := os.Mkdir(db, 0o700); err != nil {
		t.Fatal(err)
	}
	m := mapFile(t, filepath.Join(db, "000001.sst"), size)
	addr := uintptr(unsafe.Pointer(&m[0]))
	trim := &scanTrim{dir: db}
	trim.add(scanTrimEvery - 1)
	if kb := mappingRSS(t, addr); kb < size/1024/2 {
		t.Fatalf("after %d bytes read: %d kB resident; want the pages kept until %d", scanTrimEvery-1, kb, scanTrimEvery)
	}
	trim.add(1)
	if kb := mappingRSS(t, addr); kb > size/1024/4 {
		if _, err := releaseMapped(db); errors.Is(err, syscall.EINVAL) {
			t.Skipf("this kernel has no MADV_PAGEOUT: %v", err)
		}
		t.Errorf("after %d bytes read: %d kB resident; want the pages released", scanTrimEvery, kb)
	}
	if trim.read != 0 {
		t.Errorf("after a release the count is %d; want 0", trim.read)
	}
}
