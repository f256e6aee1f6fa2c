package driver

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The result cache keeps, per package, what analysing it produced (its facts
// and, for a package the user named, its findings), under a key that hashes
// everything the result depends on (see incr.go's keys). It lives in
// os.UserCacheDir()/resilvet unless -cache or $RESILVET_CACHE names another
// directory; "off" switches it off.
//
// An entry is one file, dir/xx/KEY, written to a temporary file in the same
// directory and renamed into place, so that a reader sees a whole entry or
// none. Its content is framed (magic, length, payload, SHA-256 of the
// payload), so that an entry torn in any other way — a crash after the rename
// but before the data reached the disk, a full disk, a copy cut short — reads
// as a miss rather than as a result.
type resultCache struct {
	dir     string
	maxSize int64 // trim to below this many bytes of entries
}

// cacheMagic starts every entry; its version changes with the payload's
// shape (see entry), so that entries of an older resilvet read as misses.
const cacheMagic = "resilvet cache v1\n"

// defaultCacheSize bounds the cache: std and a large service module take
// about 20 MB (facts of every dependency, findings of the roots).
const defaultCacheSize = 512 << 20

// cacheDir returns the cache directory that flag (the -cache flag's value)
// and the environment select, or "" when the cache is off.
func cacheDir(flag string) (string, error) {
	dir := cmp.Or(flag, os.Getenv("RESILVET_CACHE"))
	switch dir {
	case "off":
		return "", nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory (%w): set -cache=DIR or -cache=off", err)
		}
		dir = filepath.Join(base, "resilvet")
	}
	return filepath.Abs(dir)
}

// openCache returns the cache in dir, creating the directory.
func openCache(dir string) (*resultCache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	size := int64(defaultCacheSize)
	if s := os.Getenv("RESILVET_CACHE_SIZE"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("RESILVET_CACHE_SIZE=%q: want a number of bytes", s)
		}
		size = n
	}
	return &resultCache{dir: dir, maxSize: size}, nil
}

func (c *resultCache) path(key [32]byte) string {
	h := hex.EncodeToString(key[:])
	return filepath.Join(c.dir, h[:2], h)
}

// get returns the payload stored under key. A missing, torn or foreign entry
// is a miss.
func (c *resultCache) get(key [32]byte) ([]byte, bool) {
	name := c.path(key)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	payload, ok := unframe(data)
	if !ok {
		return nil, false
	}
	// Keep entries in use from being trimmed; once an hour is enough, as
	// trimming goes by the hour.
	if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		// Best effort: an entry whose time is not updated is only trimmed
		// sooner, and then analysed again.
		_ = os.Chtimes(name, now, now)
	}
	return payload, true
}

// put stores payload under key. Failing to store is not an error of the
// run: the next run analyses the package again.
func (c *resultCache) put(key [32]byte, payload []byte) {
	name := c.path(key)
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	data := frame(payload)
	if stall != nil && stall.Add(-1) < 0 {
		// The test of an interrupted write (TestKilledWrite): half an
		// entry, then nothing until the process is killed.
		_, _ = f.Write(data[:len(data)/2]) // the process is killed before anything could act on an error
		select {}
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// stall, for tests only: with $RESILVET_CACHE_TEST_STALL=N, the run writes N
// entries, then stops in the middle of the next one until it is killed.
var stall = func() *atomic.Int64 {
	n, err := strconv.Atoi(os.Getenv("RESILVET_CACHE_TEST_STALL"))
	if err != nil {
		return nil
	}
	v := new(atomic.Int64)
	v.Store(int64(n))
	return v
}()

func frame(payload []byte) []byte {
	data := make([]byte, 0, len(cacheMagic)+8+len(payload)+sha256.Size)
	data = append(data, cacheMagic...)
	data = binary.BigEndian.AppendUint64(data, uint64(len(payload)))
	data = append(data, payload...)
	sum := sha256.Sum256(payload)
	return append(data, sum[:]...)
}

func unframe(data []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(data, []byte(cacheMagic))
	if !ok || len(rest) < 8+sha256.Size {
		return nil, false
	}
	n := binary.BigEndian.Uint64(rest)
	rest = rest[8:]
	if uint64(len(rest)) != n+sha256.Size {
		return nil, false
	}
	payload, sum := rest[:n], rest[n:]
	if got := sha256.Sum256(payload); !bytes.Equal(got[:], sum) {
		return nil, false
	}
	return payload, true
}

// trimInterval is how often trim looks at the cache's size: walking it costs
// a few milliseconds per thousand entries, which no run should pay.
const trimInterval = time.Hour

// trim removes the least recently used entries while the cache holds more
// than maxSize bytes, and temporary files that a killed run left behind. It
// does so at most once per trimInterval (the time of the last trim is the
// modification time of dir/trim.txt); concurrent runs may both trim, which
// only removes more.
func (c *resultCache) trim() {
	marker := filepath.Join(c.dir, "trim.txt")
	if fi, err := os.Stat(marker); err == nil && time.Since(fi.ModTime()) < trimInterval {
		return
	}
	// Best effort: without the marker, the next run trims again, which
	// costs time but removes nothing it should not.
	_ = os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o666)
	type file struct {
		path  string
		size  int64
		mtime time.Time
	}
	var files []file
	var total int64
	// The walk cannot fail: the callback skips what it cannot read and
	// never returns an error.
	_ = filepath.WalkDir(c.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == marker {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			if time.Since(fi.ModTime()) > trimInterval {
				os.Remove(path) // a write that never finished
			}
			return nil
		}
		files = append(files, file{path, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if total <= c.maxSize {
		return
	}
	slices.SortFunc(files, func(a, b file) int { return a.mtime.Compare(b.mtime) })
	for _, f := range files {
		if total <= c.maxSize*3/4 { // leave room, so that the next trim is not the next run
			break
		}
		if err := os.Remove(f.path); err == nil || errors.Is(err, fs.ErrNotExist) {
			total -= f.size
		}
	}
}
