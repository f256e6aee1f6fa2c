//go:build windows

package checkpoint

import (
	"os"
	"syscall"
	"unsafe"
)

var moveFileExW = syscall.NewLazyDLL("kernel32.dll").NewProc("MoveFileExW")

const (
	movefileReplaceExisting = 0x1
	movefileWriteThrough    = 0x8
)

// replace renames from over to with MoveFileEx. os.Rename uses
// MOVEFILE_REPLACE_EXISTING alone; MOVEFILE_WRITE_THROUGH makes the call
// return only once the rename is on disk, which is as close to a directory
// sync as Windows offers (see Save).
func replace(from, to string) error {
	f, err := syscall.UTF16PtrFromString(from)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	t, err := syscall.UTF16PtrFromString(to)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	r, _, err := moveFileExW.Call(uintptr(unsafe.Pointer(f)), uintptr(unsafe.Pointer(t)), movefileReplaceExisting|movefileWriteThrough)
	if r == 0 {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	return nil
}

// syncDir does nothing: a directory cannot be synced on Windows, and replace
// has written the rename through.
func syncDir(string) error { return nil }
