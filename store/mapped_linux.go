package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// madvPageout is MADV_PAGEOUT (Linux 5.4 and later): reclaim the pages of a
// range now. File-backed pages are written back if dirty and dropped; the
// next access reads them again. Anonymous pages would be swapped out, so a
// range that is no longer the file's mapping loses nothing either.
const madvPageout = 21

// releaseMapped hands back to the kernel the pages of Badger's memory-mapped
// files (tables, value log, write-ahead log) under dir that this process has
// touched: Open's full scan reads the whole database through those mappings,
// and they would otherwise stay in the process's resident set (RssFile) as
// long as the store is open, hundreds of MiB on a large store, while queries
// then read a few records each. It returns the bytes of mappings advised;
// errors name /proc/self/maps or the range the kernel refused (a kernel older
// than 5.4 refuses every range with EINVAL: nothing is released, nothing is
// harmed).
func releaseMapped(dir string) (int64, error) {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	prefix := []byte(filepath.Clean(dir) + string(filepath.Separator))
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("release mapped pages: %w", err)
	}
	var total int64
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		// start-end perms offset dev inode path
		f := bytes.Fields(sc.Bytes())
		if len(f) < 6 || !bytes.HasPrefix(f[5], prefix) {
			continue
		}
		lo, hi, ok := bytes.Cut(f[0], []byte("-"))
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(string(lo), 16, 64)
		end, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), madvPageout)
		if errno != 0 {
			return total, fmt.Errorf("release mapped pages of %s: madvise: %w", f[5], errno)
		}
		total += int64(end - start)
	}
	return total, nil
}
