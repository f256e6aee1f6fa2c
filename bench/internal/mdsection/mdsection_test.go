package mdsection_test

import (
	"testing"

	"github.com/resilvet/resilvet/bench/internal/mdsection"
)

func TestReplace(t *testing.T) {
	doc := "# Title\n\n## A\n\na text\n\n### A.1\n\nsub\n\n## B\n\n```\n## not a heading\n```\n\n## C\n\nc text\n"
	tests := []struct {
		heading, body, want string
	}{
		// The section ends at the next heading of its level, subsections included.
		{"## A", "new a", "# Title\n\n## A\n\nnew a\n\n## B\n\n```\n## not a heading\n```\n\n## C\n\nc text\n"},
		// A heading inside a code block does not end the section.
		{"## B", "new b\n\n", "# Title\n\n## A\n\na text\n\n### A.1\n\nsub\n\n## B\n\nnew b\n\n## C\n\nc text\n"},
		// The last section runs to the end.
		{"## C", "new c", "# Title\n\n## A\n\na text\n\n### A.1\n\nsub\n\n## B\n\n```\n## not a heading\n```\n\n## C\n\nnew c\n"},
		// A missing section is appended.
		{"## D", "d", doc + "\n## D\n\nd\n"},
		// A subsection is replaced up to the next heading of level <= 3.
		{"### A.1", "s", "# Title\n\n## A\n\na text\n\n### A.1\n\ns\n\n## B\n\n```\n## not a heading\n```\n\n## C\n\nc text\n"},
	}
	for _, tt := range tests {
		got, err := mdsection.Replace(doc, tt.heading, tt.body)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("Replace(%q):\ngot:\n%s\nwant:\n%s", tt.heading, got, tt.want)
		}
	}
	if _, err := mdsection.Replace(doc, "A", "x"); err == nil {
		t.Error("Replace accepted a heading without #")
	}
}
