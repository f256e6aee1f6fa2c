package rawbreaker

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"github.com/resilvet/resilvet/internal/match"
)

// A backoffLib is a backoff library's exponential policy type: its field
// that sets the growth, and the one that sets the jitter.
type backoffLib struct {
	paths    []string
	typeName string
	factor   string
	// factorDefault is the growth factor when the field is zero, as the
	// library applies it (jpillora/backoff doubles); 0 means no growth.
	factorDefault float64
	jitter        string
	advice        string
}

var backoffLibs = []backoffLib{
	{
		paths:    []string{"github.com/cenkalti/backoff", "github.com/cenkalti/backoff/v2", "github.com/cenkalti/backoff/v3", "github.com/cenkalti/backoff/v4", "github.com/cenkalti/backoff/v5"},
		typeName: "ExponentialBackOff", factor: "Multiplier", jitter: "RandomizationFactor",
		advice: "set RandomizationFactor (backoff.DefaultRandomizationFactor is 0.5)",
	},
	{
		paths:    []string{"github.com/jpillora/backoff"},
		typeName: "Backoff", factor: "Factor", factorDefault: 2, jitter: "Jitter",
		advice: "set Jitter: true",
	},
	{
		paths:    []string{"k8s.io/apimachinery/pkg/util/wait"},
		typeName: "Backoff", factor: "Factor", jitter: "Jitter",
		advice: "set Jitter above zero (0.1 adds up to 10%)",
	},
	{
		paths:    []string{"google.golang.org/grpc/backoff"},
		typeName: "Config", factor: "Multiplier", jitter: "Jitter",
		advice: "set Jitter (backoff.DefaultConfig has 0.2)",
	},
}

var backoffPaths = func() []string {
	var paths []string
	for _, l := range backoffLibs {
		paths = append(paths, l.paths...)
	}
	return paths
}()

func backoffLibOf(t types.Type) *backoffLib {
	named := namedOf(t)
	if named == nil || named.Obj().Pkg() == nil {
		return nil // not a named type of a package
	}
	for i := range backoffLibs {
		l := &backoffLibs[i]
		for _, p := range l.paths {
			if match.IsNamed(named, p, l.typeName) {
				return l
			}
		}
	}
	return nil
}

// backoffLiteral reports a keyed literal of a backoff policy whose factor
// grows the delay and whose jitter is off, unless the package sets the
// jitter field elsewhere.
func (c *checker) backoffLiteral(lit *ast.CompositeLit) {
	info := c.pass.TypesInfo
	l := backoffLibOf(info.TypeOf(lit))
	if l == nil {
		return // not a backoff policy
	}
	var factor, jitter ast.Expr
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return // positional: not written for us to read
		}
		switch key, _ := kv.Key.(*ast.Ident); {
		case key == nil:
		case key.Name == l.factor:
			factor = kv.Value
		case key.Name == l.jitter:
			jitter = kv.Value
		}
	}
	grows := l.factorDefault > 1
	if factor != nil {
		v := info.Types[factor].Value
		if v == nil {
			return // set at run time: we cannot tell
		}
		f, _ := constant.Float64Val(constant.ToFloat(v))
		grows = f > 1 || (f <= 0 && l.factorDefault > 1)
	}
	if !grows {
		return // a constant interval
	}
	if jitter != nil && !isZeroConst(info, jitter) {
		return // jittered, or set at run time
	}
	if c.assignsField(lit, l.jitter) {
		return // the package sets the jitter on some value of the type
	}
	obj := namedOf(info.TypeOf(lit)).Obj()
	name := obj.Pkg().Name() + "." + obj.Name()
	why := l.jitter + " is not set"
	if jitter != nil {
		why = l.jitter + " is zero"
	}
	c.pass.Report(ruleNoJitter, analysisDiag(lit.Type, fmt.Sprintf("%s grows the delay exponentially with no jitter (%s): clients that failed together retry together, and stampede the dependency each time it comes back; %s", name, why, l.advice)))
}

// backoffAssign reports x.Field = 0 (or false) on the jitter field of a
// policy whose default factor grows the delay.
func (c *checker) backoffAssign(as *ast.AssignStmt) {
	info := c.pass.TypesInfo
	if as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
		return // not a plain assignment of values
	}
	for i, lhs := range as.Lhs {
		sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
		if !ok {
			continue // not a field
		}
		l := backoffLibOf(info.TypeOf(sel.X))
		if l == nil || sel.Sel.Name != l.jitter || !isZeroConst(info, as.Rhs[i]) {
			continue // not a policy's jitter switched off
		}
		if l.typeName != "ExponentialBackOff" && l.factorDefault <= 1 {
			continue // its factor may be one: we cannot tell
		}
		c.pass.Report(ruleNoJitter, analysisDiag(as, fmt.Sprintf("%s switches jitter off on a backoff that grows exponentially: clients that failed together retry together, and stampede the dependency each time it comes back; %s", types.ExprString(lhs)+" = "+types.ExprString(as.Rhs[i]), l.advice)))
	}
}

// backoffOption reports backoff.WithRandomizationFactor(0) (cenkalti/backoff
// v4's option).
func (c *checker) backoffOption(call *ast.CallExpr, fn *types.Func) {
	if fn == nil || fn.Name() != "WithRandomizationFactor" || len(call.Args) != 1 || !isZeroConst(c.pass.TypesInfo, call.Args[0]) {
		return // not an option that switches jitter off
	}
	for _, p := range backoffLibs[0].paths {
		if match.IsFunc(fn, p, "WithRandomizationFactor") {
			c.pass.Report(ruleNoJitter, analysisDiag(call, "backoff.WithRandomizationFactor(0) switches jitter off on a backoff that grows exponentially: clients that failed together retry together, and stampede the dependency each time it comes back; "+backoffLibs[0].advice))
			return
		}
	}
}

func isZeroConst(info *types.Info, e ast.Expr) bool {
	v := info.Types[e].Value
	if v == nil {
		return false
	}
	switch v.Kind() {
	case constant.Bool:
		return !constant.BoolVal(v)
	case constant.Int, constant.Float:
		return constant.Sign(v) == 0
	}
	return false
}

// assignsField reports whether the package sets the field named name of
// lit's type anywhere, to anything but a zero constant (x.Jitter = true):
// perhaps on this literal's value. It looks once.
func (c *checker) assignsField(lit *ast.CompositeLit, name string) bool {
	named := namedOf(c.pass.TypesInfo.TypeOf(lit))
	st, ok := named.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	var field *types.Var
	for f := range st.Fields() {
		if f.Name() == name {
			field = f
		}
	}
	if field == nil {
		return false
	}
	if c.assigned == nil {
		c.assigned = make(map[*types.Var]bool)
		for cur := range c.insp.Root().Preorder((*ast.AssignStmt)(nil)) {
			as := cur.Node().(*ast.AssignStmt)
			for i, lhs := range as.Lhs {
				if len(as.Lhs) == len(as.Rhs) && isZeroConst(c.pass.TypesInfo, as.Rhs[i]) {
					continue // switches it off
				}
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
					if v, ok := c.pass.TypesInfo.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
						c.assigned[v] = true
					}
				}
			}
		}
	}
	return c.assigned[field]
}
