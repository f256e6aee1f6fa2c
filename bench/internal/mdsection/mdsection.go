// Package mdsection replaces one "## Heading" section of a markdown file,
// leaving every other section as it is. The benchmark commands write their
// results into shared docs (docs/performance.md, docs/precision.md) whose
// other sections belong to other people.
package mdsection

import (
	"bytes"
	"fmt"
	"os"
	"strings"
)

// Replace returns doc with the section that opens with the line heading
// (e.g. "## Suite speed") replaced by heading and body. The section ends
// before the next heading of the same or a higher level. If doc has no such
// section, it is appended at the end.
func Replace(doc, heading, body string) (string, error) {
	level := strings.IndexFunc(heading, func(r rune) bool { return r != '#' })
	if level < 1 || heading[level] != ' ' {
		return "", fmt.Errorf("mdsection: %q is not a markdown heading", heading)
	}
	section := heading + "\n\n" + strings.TrimSpace(body) + "\n"
	lines := strings.SplitAfter(doc, "\n")
	start, end := -1, len(lines)
	inFence := false
	for i, l := range lines {
		t := strings.TrimRight(l, "\n")
		if strings.HasPrefix(t, "```") {
			inFence = !inFence
		}
		if inFence {
			continue // a "#" line in a code block is not a heading
		}
		switch {
		case start < 0 && t == heading:
			start = i
		case start >= 0 && isHeadingUpTo(t, level):
			end = i
		}
		if end < len(lines) {
			break
		}
	}
	if start < 0 {
		doc = strings.TrimRight(doc, "\n")
		if doc != "" {
			doc += "\n\n"
		}
		return doc + section, nil
	}
	var b strings.Builder
	b.WriteString(strings.Join(lines[:start], ""))
	b.WriteString(section)
	if end < len(lines) {
		b.WriteString("\n")
		b.WriteString(strings.Join(lines[end:], ""))
	}
	return b.String(), nil
}

// isHeadingUpTo reports whether line is a heading of level 1..level.
func isHeadingUpTo(line string, level int) bool {
	n := strings.IndexFunc(line, func(r rune) bool { return r != '#' })
	return n >= 1 && n <= level && line[n] == ' '
}

// ReplaceFile applies Replace to the file at path, creating it (with title
// as its first line) if it does not exist. It re-reads the file just before
// writing, since others edit the same file.
func ReplaceFile(path, title, heading, body string) error {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		data, err = []byte(title+"\n"), nil
	}
	if err != nil {
		return err
	}
	out, err := Replace(string(data), heading, body)
	if err != nil {
		return err
	}
	if bytes.Equal(data, []byte(out)) {
		return nil
	}
	return os.WriteFile(path, []byte(out), 0o666)
}
