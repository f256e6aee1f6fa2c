package rawbreaker

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

func (c *checker) perCallFix(cons *construction, h *holding) (analysis.SuggestedFix, bool) {
	return analysis.SuggestedFix{}, false
}

func (c *checker) jitterFix(cur inspector.Cursor, d ast.Expr) (analysis.SuggestedFix, bool) {
	return analysis.SuggestedFix{}, false
}
