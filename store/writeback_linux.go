package store

import (
	"os"
	"syscall"
)

// syncFileRangeWrite is SYNC_FILE_RANGE_WRITE: start writing back the dirty
// pages of the range, without waiting for them.
const syncFileRangeWrite = 2

// startWriteBack starts writing f's dirty pages back to disk and returns
// without waiting for the disk (sync_file_range): a large catch-up's
// writeBack needs them on their way, not durable, and a blocking fsync
// every 100 ms cost the catch-up ≈ 2.5 µs of CPU per change (BENCHMARKS.md,
// "tenth pass").
func startWriteBack(f *os.File) error {
	for {
		err := syscall.SyncFileRange(int(f.Fd()), 0, 0, syncFileRangeWrite)
		if err != syscall.EINTR {
			return err
		}
	}
}
