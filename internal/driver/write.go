package driver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// writable reports whether -fix may change the file name: it exists with
// some write permission and this process may write it. A file without any
// write bit is read-only by intent, even for root, as it is to an editor;
// and replacing a file by renaming over it needs only the directory's
// permission, so the file's own is checked first.
func writable(name string) bool {
	fi, err := os.Stat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return true // a new file
	}
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o222 == 0 {
		return false
	}
	return mayWrite(name)
}

// writeFile replaces name with data, keeping its mode: atomically where the
// directory allows it (a reader sees the old file or the new one, never a
// part), else in place, as gofmt -w writes. Errors name the file, never the
// temporary one.
func writeFile(name string, data []byte) error {
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(name); err == nil {
		mode = fi.Mode().Perm()
	}
	if !writable(name) {
		return fmt.Errorf("%s is read-only", relPath(name))
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".resilvet-*")
	if err != nil {
		// The directory is not writable, the file is: write in place.
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_TRUNC|os.O_CREATE, mode)
		if err != nil {
			return fmt.Errorf("writing %s: %w", relPath(name), unwrapPath(err))
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", relPath(name), unwrapPath(err))
		}
		return nil
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), mode)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", relPath(name), unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the *fs.PathError's path, which may be the temporary
// file's: the caller names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
