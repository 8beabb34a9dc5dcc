//go:build windows

package store

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// FreeSpace returns the bytes available to this process on the volume
// holding dir (GetDiskFreeSpaceEx: free bytes available to the caller).
func FreeSpace(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, fmt.Errorf("free space of %s: %w", dir, err)
	}
	var avail, total, free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &avail, &total, &free); err != nil {
		return 0, fmt.Errorf("free space of %s: %w", dir, err)
	}
	return avail, nil
}
