package atomicfile

import "syscall"

// Windows says a disk is full with its own errors, not ENOSPC.
func init() {
	diskFull = append(diskFull,
		syscall.Errno(39),  // ERROR_HANDLE_DISK_FULL
		syscall.Errno(112), // ERROR_DISK_FULL
	)
}
