package halfinit

import (
	_ "embed"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
)

//go:embed doc.go
var doc string

// Analyzer reports singletons that can be seen half-made or whose failed
// initialisation is kept for ever; see the package doc.
var Analyzer = lint.New(lint.Spec{
	Name:         "halfinit",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleRacyLazy, ruleOnceError, ruleEarlyPublish},
	RuntimeFixes: true,
	Facts:        &lint.FactPass{Types: []analysis.Fact{new(funcFact)}, Run: facts},
	Requires:     []*analysis.Analyzer{inspect.Analyzer},
	Run:          run,
})

// The rules; docs/precision.md has the measurements behind their defaults.
// All are off by default — on the standard library, the pinned corpus and
// the programs together they found one singleton, fewer than the ten a
// rule needs to be measured — and on in the strict profile, whose policy
// is that every singleton is made by the canonical primitive.
var (
	ruleRacyLazy     = &lint.Rule{Name: "racy-lazy", Strict: true, Since: "v0.2.0"}
	ruleOnceError    = &lint.Rule{Name: "once-error", Strict: true, Since: "v0.2.0"}
	ruleEarlyPublish = &lint.Rule{Name: "early-publish", Strict: true, Since: "v0.2.0"}
)

// A checker holds what one pass knows about the package.
type checker struct {
	pass *lint.Pass
	info *types.Info
	root inspector.Cursor
	src  *fix.Source

	facts map[*types.Func]funcFact      // this package's functions' facts
	decls map[*types.Func]*ast.FuncDecl // this package's functions with a body
	flows map[*ast.BlockStmt]*lockFlow  // lock analyses, built on demand
	calls *callGraph                    // built on first use
	addrs map[*types.Var]bool           // built on first use: see addressTaken
}

// facts is the fact pass: on every package, dependencies included, it
// computes the facts the packages that import this one ask for — whether
// its functions can fail for transient reasons, or return non-nil — and
// returns the checker, which the reporting pass goes on with.
func facts(pass *lint.Pass) (any, error) {
	if !pass.AnyEnabled(ruleRacyLazy, ruleOnceError, ruleEarlyPublish) {
		return nil, nil // nothing to report, and so no fact a dependant would use
	}
	c := &checker{
		pass:  pass,
		info:  pass.TypesInfo,
		flows: make(map[*ast.BlockStmt]*lockFlow),
	}
	c.findFacts()
	return c, nil
}

func run(pass *lint.Pass) (any, error) {
	fc, ok := pass.Facts().(*checker)
	if !ok {
		return nil, nil // every rule is off
	}
	c := *fc
	c.pass = pass
	c.root = pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	c.src = fix.NewSource(pass.Pass)

	var inits []*lazyInit
	if pass.AnyEnabled(ruleRacyLazy, ruleEarlyPublish) {
		inits = c.lazyInits()
	}
	once := pass.Enabled(ruleOnceError) && match.Imports(pass.Pkg, "sync")
	if len(inits) == 0 && !once {
		return nil, nil // no lazy initialisation of a shared variable, and no Once
	}
	for _, li := range inits {
		c.checkLazy(li)
	}
	if once {
		c.checkOnces()
	}
	return nil, nil
}
