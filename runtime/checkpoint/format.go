package checkpoint

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
)

// layout is the version of the file layout (see "The file" in the package
// doc) that this package writes and reads.
const layout = 1

const magic = "resilvet-checkpoint/"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encode returns the file for payload.
func encode(version int, payload []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s%d v=%d len=%d ", magic, layout, version, len(payload))
	sum := crc32.Update(crc32.Checksum(b.Bytes(), castagnoli), castagnoli, payload)
	fmt.Fprintf(&b, "crc32c=%08x\n", sum)
	b.Write(payload)
	return b.Bytes()
}

// maxHeader bounds the header line: a file whose first 128 bytes hold no
// newline is not a checkpoint.
const maxHeader = 128

// decode checks data and returns its payload, or a *VersionError, or the
// reason the file is corrupt.
func (s *Store[T]) decode(data []byte) ([]byte, error) {
	if len(data) == 0 {
		return nil, errors.New("empty file")
	}
	rest, ok := bytes.CutPrefix(data, []byte(magic))
	if !ok {
		return nil, errors.New("no checkpoint header")
	}
	n := 0
	for n < len(rest) && n < 9 && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	if l, err := strconv.Atoi(string(rest[:n])); err != nil || l < 1 {
		return nil, errors.New("bad checkpoint header")
	} else if l != layout {
		// A layout this package does not know: newer, since 1 was first.
		return nil, &VersionError{Path: s.Path, Version: l, Max: layout, Layout: true}
	}
	nl := bytes.IndexByte(data[:min(len(data), maxHeader)], '\n')
	if nl < 0 {
		return nil, errors.New("truncated or bad checkpoint header")
	}
	header, payload := string(data[:nl]), data[nl+1:]
	var version, length int
	var sum uint32
	fields := strings.Fields(header)
	if len(fields) != 4 || fields[0] != magic+strconv.Itoa(layout) ||
		!intField(fields[1], "v=", &version) || version < 1 ||
		!intField(fields[2], "len=", &length) || length < 0 ||
		!hexField(fields[3], "crc32c=", &sum) {
		return nil, errors.New("bad checkpoint header")
	}
	switch {
	case len(payload) < length:
		return nil, fmt.Errorf("truncated: %d of %d payload bytes", len(payload), length)
	case len(payload) > length:
		return nil, fmt.Errorf("%d bytes after the %d-byte payload", len(payload)-length, length)
	}
	covered := header[:strings.LastIndex(header, " ")+1]
	if got := crc32.Update(crc32.Checksum([]byte(covered), castagnoli), castagnoli, payload); got != sum {
		return nil, fmt.Errorf("checksum mismatch: header says %08x, content has %08x", sum, got)
	}
	if newest := s.version(); version > newest {
		return nil, &VersionError{Path: s.Path, Version: version, Max: newest}
	}
	return payload, nil
}

func intField(f, key string, v *int) bool {
	digits, ok := strings.CutPrefix(f, key)
	if !ok || digits == "" || !isDigits(digits) || len(digits) > 18 {
		return false
	}
	*v, _ = strconv.Atoi(digits) // at most 18 digits: cannot overflow
	return true
}

func hexField(f, key string, v *uint32) bool {
	digits, ok := strings.CutPrefix(f, key)
	if !ok || len(digits) != 8 {
		return false
	}
	n, err := strconv.ParseUint(digits, 16, 32)
	*v = uint32(n)
	return err == nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
