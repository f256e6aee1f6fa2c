// Package checkpoint keeps a value in a file so that it survives a crash:
// each save replaces the file atomically and durably, the file carries a
// format version and a checksum, and a file that cannot be read is reported
// and moved aside rather than trusted or overwritten.
//
//	store := &checkpoint.Store[Table]{Path: "/var/lib/vmm/vms.ckpt"}
//	table, err := store.Load(ctx)
//	switch {
//	case errors.Is(err, fs.ErrNotExist): // first start: begin empty
//	case err != nil:
//		return err // a *CorruptError (already moved aside) or *VersionError
//	}
//	...
//	// Save what changed every 10-15s, as a task of runtime/task's default
//	// group, and once more at task.Shutdown.
//	if err := store.Every(ctx, 10*time.Second, 5*time.Second, snapshot); err != nil {
//		return err
//	}
//
// It replaces the post-mortem's managed-VM state: a VM manager kept its table
// of managed VMs only in memory, so a crash lost it. The fix's sketch wrote to
// /tmp with a plain rename: no fsync of the file, so a crash of the machine
// could leave an empty or partial file under the new name; no fsync of the
// directory, so the rename itself could be undone; no version, so a rolled-back
// binary would misread a newer file; no handling of a corrupt file; and every
// process of the fleet saved on the same tick.
//
// # The file
//
// A checkpoint file is one header line and the encoded value:
//
//	resilvet-checkpoint/1 v=<Store.Version> len=<payload bytes> crc32c=<8 hex digits>
//	<payload: the value as the Codec encodes it, JSON by default>
//
// The checksum (CRC-32C) covers the header before it and the payload, so a
// truncated, extended or damaged file is detected rather than decoded. A file
// is written with mode 0600.
//
// # Why hand-written
//
// github.com/google/renameio/v2 (v2.0.0) syncs the file and renames it but
// never syncs the directory, so the rename may not survive a power loss, and
// it does not build its atomic writer on Windows; github.com/natefinch/atomic
// (v1.0.1) renames without syncing the directory either (its Windows path uses
// MoveFileEx with write-through, as this package does). Both read as source.
// Neither versions the content, detects a torn or corrupt file, keeps one
// process's saves from interleaving, nor saves periodically without waking a
// fleet in lockstep; those are this package.
package checkpoint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/task"
)

// A Codec encodes values to bytes and back. Unmarshal is given a pointer to
// a T. encoding/json's Marshal and Unmarshal have this shape; the default
// codec is exactly those.
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

type jsonCodec struct{}

func (jsonCodec) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (jsonCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// A CorruptError is returned by Load for a file that is not a checkpoint this
// package wrote whole: it has no header, it is shorter or longer than its
// header says (a truncated or extended file), its checksum does not match,
// or its payload, though intact, does not decode into T.
//
// Load moves such a file aside before returning, so that the next Save does
// not destroy what may be the only copy of the state: to MovedTo, in the same
// directory, named Path + ".corrupt-" + the UTC time of the move
// (20060102T150405Z), with "-2", "-3"... added if that name is taken. If it
// cannot be moved, MovedTo is empty, Err says why as well, and the file stays
// where it is, for the next Save to replace.
type CorruptError struct {
	Path    string
	MovedTo string
	Err     error // what is wrong with the file
}

func (e *CorruptError) Error() string {
	s := "checkpoint: " + e.Path + " is corrupt: " + e.Err.Error()
	if e.MovedTo != "" {
		s += "; moved to " + e.MovedTo
	}
	return s
}

func (e *CorruptError) Unwrap() error { return e.Err }

// A VersionError is returned by Load for a file in a newer format than the
// Store reads: written with a higher Store.Version, or, if Layout is set, by a
// newer checkpoint package whose file layout this one does not know. The file
// is left where it is: it is intact, and the program that wrote it will read
// it.
type VersionError struct {
	Path    string
	Version int  // the file's version
	Max     int  // the newest version this Store reads
	Layout  bool // Version and Max are layouts of the file, not Store.Version
}

func (e *VersionError) Error() string {
	what := "format version"
	if e.Layout {
		what = "checkpoint layout"
	}
	return fmt.Sprintf("checkpoint: %s has %s %d; this program reads up to %d", e.Path, what, e.Version, e.Max)
}

// A Store saves values of type T to the file at Path and loads them back.
//
// The zero value is not usable: Path must be set. The other fields have
// useful zero values. Set the fields before first use and do not change them
// after. A Store must not be copied after first use. Its methods are safe for
// concurrent use: Saves and Loads on one Store run one at a time, in no
// particular order.
//
// Several Stores for one path, in one process or in several, do not corrupt
// the file: each Save replaces it whole, and the last rename wins. But they
// are not serialized with each other, so a slower writer can replace a newer
// state with an older one, and a Load removes the temporary files of any
// Save still in progress for that path, which then fails (see Load). Give a
// path one writer.
type Store[T any] struct {
	// Path is the checkpoint file. Its directory must exist; Save creates
	// its temporary files there, so that the rename stays on one file system.
	Path string

	// Version is the format version of T's encoding that Save writes, and
	// the newest that Load reads. Raise it when an older program could
	// misread the new encoding, so that a rolled-back binary refuses the
	// file (with a *VersionError) instead of loading it wrong and saving
	// the loss. Zero means 1.
	Version int

	// Codec encodes the value. Nil means encoding/json.
	Codec Codec

	// Tasks is the task group Every runs in, whose Shutdown makes it save a
	// last time and waits for that save. Nil means runtime/task's default
	// group.
	Tasks *task.Group

	// Logger receives Every's failed saves. Nil means slog.Default() at the
	// time of logging.
	Logger *slog.Logger

	init sync.Once
	sem  chan struct{} // holds a token while a Save or Load runs
}

// lock waits for the Store or for ctx to be done.
func (s *Store[T]) lock(ctx context.Context) error {
	if s.Path == "" {
		panic("checkpoint: Store.Path is empty")
	}
	s.init.Do(func() { s.sem = make(chan struct{}, 1) })
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store[T]) unlock() { <-s.sem }

func (s *Store[T]) codec() Codec {
	if s.Codec == nil {
		return jsonCodec{}
	}
	return s.Codec
}

func (s *Store[T]) version() int {
	if s.Version <= 0 {
		return 1
	}
	return s.Version
}

// Save replaces the checkpoint file with v, atomically: a reader, and a Load
// after a crash, finds either the previous file or the new one, whole, never
// a mix. It blocks until the new file is written and synced, renamed over
// Path, and the directory synced, so that when Save returns nil the new state
// survives a crash of the process or, on Unix, of the machine (see the
// platform notes at the end of this comment).
//
// Save first waits for any other Save or Load on s; ctx bounds that wait.
// ctx is checked once more just before the rename: if it is done, the
// previous file is kept and Save returns ctx.Err(). The writes and syncs
// themselves cannot be interrupted.
//
// Save returns an error wrapping the codec's if v does not encode, and an
// error wrapping the operating system's if a step fails; the previous file is
// then left as it was, except when only the final directory sync fails, after
// the rename: the error says so, and the new file is in place but may not
// survive a power loss. A temporary file is removed on failure; one left
// behind by a crash during Save is removed by the next Load. Save panics with
// "checkpoint: Store.Path is empty" if Path is not set.
//
// What is replaced is the directory entry Path: a symbolic link there is
// replaced by a regular file, not followed.
//
// Platforms. On Unix the sequence is: write a temporary file in Path's
// directory, fsync it, rename it over Path, fsync the directory. A file
// system that cannot fsync a directory (EINVAL or ENOTSUP, as some network
// and FUSE file systems return) gets the rename without that last sync. On
// Windows there is no directory to sync: the rename is MoveFileEx with
// MOVEFILE_REPLACE_EXISTING and MOVEFILE_WRITE_THROUGH, which on NTFS
// replaces the file in one journaled step and returns once it is on disk.
// Windows documents neither as atomic; on FAT, and on network shares, a crash
// during the rename can leave the old file, the new one, or none. A reader
// holding the file open without FILE_SHARE_DELETE makes the rename fail
// there; Save then returns the error, and Every retries at its next tick.
// Elsewhere (Plan 9, WebAssembly) Save renames and syncs what it can.
func (s *Store[T]) Save(ctx context.Context, v T) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	payload, err := s.codec().Marshal(v)
	if err != nil {
		return fmt.Errorf("checkpoint: save %s: encode: %w", s.Path, err)
	}
	return s.write(ctx, encode(s.version(), payload))
}

// write puts data at s.Path by way of a temporary file.
func (s *Store[T]) write(ctx context.Context, data []byte) error {
	dir, base := filepath.Split(s.Path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, base+tempInfix+"*")
	if err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", s.Path, err)
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		if !renamed {
			_ = f.Close() // a second Close only reports that the first happened
			_ = os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", s.Path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", s.Path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", s.Path, err)
	}
	if err := ctx.Err(); err != nil {
		return err // the last moment at which the previous file is kept
	}
	if err := replace(tmp, s.Path); err != nil {
		return fmt.Errorf("checkpoint: save %s: %w", s.Path, err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("checkpoint: save %s: renamed into place, but the directory could not be synced, so the save may not survive a power loss: %w", s.Path, err)
	}
	return nil
}

// tempInfix joins Path's base name and the random part of a temporary file's
// name; Load removes files so named.
const tempInfix = ".tmp-"

// Load reads the checkpoint file and returns the value it holds. It blocks
// until the file is read, waiting first for any other Save or Load on s; ctx
// bounds that wait only.
//
// The errors are typed:
//   - an error wrapping fs.ErrNotExist if there is no file at Path (test it
//     with errors.Is): a first start;
//   - a *CorruptError if the file is damaged, truncated or does not decode
//     into T; Load has moved it aside (see CorruptError);
//   - a *VersionError if the file was written in a newer format than the
//     Store reads; the file stays in place.
//
// Other I/O errors are returned as the operating system's, wrapped.
//
// Before reading, Load removes the temporary files that a Save interrupted by
// a crash left in Path's directory (those named Path + ".tmp-" + digits),
// so that a process that keeps crashing does not fill the disk. It panics
// with "checkpoint: Store.Path is empty" if Path is not set.
func (s *Store[T]) Load(ctx context.Context) (T, error) {
	var zero T
	if err := s.lock(ctx); err != nil {
		return zero, err
	}
	defer s.unlock()
	s.removeTemps()
	for attempt := 0; ; attempt++ {
		v, info, why, err := s.read()
		if err != nil || why == nil {
			return v, err
		}
		if !s.replaced(info) {
			return zero, s.moveAside(why)
		}
		if attempt == 2 {
			return zero, &CorruptError{Path: s.Path, Err: fmt.Errorf("%w; not moved: the file kept changing while being read", why)}
		}
		// Another writer replaced the file after it was read: judge the
		// new one, rather than move aside a file that was never read.
	}
}

// read reads and decodes the file. It returns the value, or the reason the
// file is corrupt (why), or another error; info describes the file read.
func (s *Store[T]) read() (v T, info fs.FileInfo, why, err error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return v, nil, nil, fmt.Errorf("checkpoint: load: %w", err)
	}
	defer f.Close() // read-only: Close reports nothing about the data
	info, err = f.Stat()
	if err != nil {
		return v, nil, nil, fmt.Errorf("checkpoint: load %s: %w", s.Path, err)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return v, nil, nil, fmt.Errorf("checkpoint: load %s: %w", s.Path, err)
	}
	payload, err := s.decode(data)
	var ve *VersionError
	if errors.As(err, &ve) {
		return v, nil, nil, err
	}
	if err != nil {
		return v, info, err, nil
	}
	if err := s.codec().Unmarshal(payload, &v); err != nil {
		var zero T
		return zero, info, fmt.Errorf("decode: %w", err), nil
	}
	return v, info, nil, nil
}

// replaced reports whether the file at s.Path is no longer the one read.
func (s *Store[T]) replaced(read fs.FileInfo) bool {
	now, err := os.Lstat(s.Path)
	return err != nil || !os.SameFile(read, now)
}

// moveAside moves the corrupt file out of the way and returns the
// *CorruptError that reports it.
func (s *Store[T]) moveAside(why error) error {
	stamp := s.Path + ".corrupt-" + time.Now().UTC().Format("20060102T150405Z")
	var err error
	for n := 1; n <= 100; n++ {
		to := stamp
		if n > 1 {
			to += "-" + strconv.Itoa(n)
		}
		// A link fails if the name is taken, where a rename would replace
		// what is there: an earlier corrupt file, perhaps the only copy.
		err = os.Link(s.Path, to)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			if err := os.Remove(s.Path); err != nil {
				// The copy is safe under its new name, whatever a later
				// Save does to Path. The error is text only: wrapped, an
				// fs.ErrNotExist here would make the CorruptError read as
				// a first start.
				why = fmt.Errorf("%w; a copy is at %s, but the file could not be removed: %s", why, to, err.Error())
			}
		} else { // hard links unsupported here: rename, having looked
			if _, lerr := os.Lstat(to); lerr == nil {
				continue
			}
			if err = replace(s.Path, to); err != nil {
				break
			}
		}
		_ = syncDir(filepath.Dir(s.Path)) // the move is bookkeeping; the data is safe either way
		return &CorruptError{Path: s.Path, MovedTo: to, Err: why}
	}
	// Why the move failed is text only, as above: the file is corrupt, not
	// missing, whatever the move ran into.
	return &CorruptError{Path: s.Path, Err: fmt.Errorf("%w; could not move it aside: %s", why, err.Error())}
}

// removeTemps removes temporary files left by crashed Saves.
func (s *Store[T]) removeTemps() {
	dir, base := filepath.Split(s.Path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // Load's own open reports what matters
	}
	prefix := base + tempInfix
	for _, e := range entries {
		name := e.Name()
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" && isDigits(rest) && e.Type().IsRegular() {
			_ = os.Remove(filepath.Join(dir, name)) // best effort: a leftover costs only space
		}
	}
}
