//go:build unix

package store

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// FreeSpace returns the bytes available to this process on the filesystem
// holding dir (statfs: blocks available to unprivileged users × block size).
func FreeSpace(dir string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, fmt.Errorf("free space of %s: %w", dir, err)
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
