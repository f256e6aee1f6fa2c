package ignore_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/analyzers/ignore"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/linttest"
)

const demoDoc = `// Package demo.
//
// # Analyzer demo
//
// demo: a stand-in for the suite
//
// # Rule alpha
//
// alpha: a rule
package demo
`

func TestMalformed(t *testing.T) {
	t.Parallel()
	demo := lint.New(lint.Spec{
		Name:  "demo",
		Doc:   demoDoc,
		Rules: []*lint.Rule{{Name: "alpha", Default: true, Since: "v0.1.0"}},
		Run:   func(*lint.Pass) (any, error) { return nil, nil },
	})
	linttest.Run(t, ignore.New([]*analysis.Analyzer{demo}), "a")
}
