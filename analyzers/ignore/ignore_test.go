package ignore_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/resilvet/resilvet/analyzers/ignore"
	"github.com/resilvet/resilvet/internal/lint"
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
	demo := lint.New(lint.Spec{
		Name:  "demo",
		Doc:   demoDoc,
		Rules: []lint.Rule{{Name: "alpha", Default: true, Since: "v0.1.0"}},
		Run:   func(*lint.Pass) error { return nil },
	})
	analysistest.Run(t, analysistest.TestData(), ignore.New([]*analysis.Analyzer{demo}), "a")
}
