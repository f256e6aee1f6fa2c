//go:build unix

package checkpoint

import (
	"errors"
	"os"
	"syscall"
)

// replace renames from over to: rename(2) replaces to atomically.
func replace(from, to string) error { return os.Rename(from, to) }

// syncDir fsyncs the directory dir, which makes a rename into it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	_ = d.Close() // read-only: Close reports nothing Sync did not
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil // a file system that cannot sync directories (see Save)
	}
	return err
}
