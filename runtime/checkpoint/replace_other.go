//go:build !unix && !windows

package checkpoint

import "os"

// replace renames from over to, as atomically as the platform's rename is.
func replace(from, to string) error { return os.Rename(from, to) }

// syncDir syncs the directory if the platform lets it, and otherwise does
// nothing: these platforms (Plan 9, WebAssembly) promise no more.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	_ = d.Sync() // best effort, as documented on Save
	_ = d.Close()
	return nil
}
