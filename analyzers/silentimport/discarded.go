package silentimport

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/resilvet/resilvet/internal/lint"
)

// checkDiscarded reports a load whose error is assigned to _ or dropped
// by a call statement, with the first fix that applies.
func checkDiscarded(pass *lint.Pass, s *site) {
	rng := analysis.Range(s.call)
	if s.errExpr != nil {
		rng = s.errExpr // the _ that drops the error
	}
	d := analysis.Diagnostic{
		Pos:     rng.Pos(),
		End:     rng.End(),
		Message: fmt.Sprintf("error of %s discarded: %s goes unnoticed", loadName(s.fn), s.load.missing),
	}
	if fix, ok := returnFix(pass, s); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	} else if fix, ok := mustFix(pass, s); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(ruleDiscarded, d)
}
