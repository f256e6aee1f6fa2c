package rawbreaker

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// jitter reports rule no-jitter: waits in retry loops whose delay grows
// exponentially with no random term, and backoff libraries configured
// without jitter.
func (c *checker) jitter() {
	if !match.Imports(c.pass.Pkg, "time") && !match.Imports(c.pass.Pkg, backoffPaths...) {
		return // can neither wait nor configure a backoff library
	}
	if match.TestSupportPkg(c.pass.Pkg) {
		return // a package for tests: clients in lockstep harm no one there
	}
	for cur := range c.insp.Root().Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)) {
		if !c.pass.Reportable(cur.Node().Pos()) {
			continue // generated or test file: nothing would be shown
		}
		if match.TestSupportFile(c.pass.Fset, c.pass.File(cur.Node().Pos())) {
			continue // a file of test helpers (test_helpers.go, or one that imports testing)
		}
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			fn := match.Callee(c.pass.TypesInfo, n)
			if d := delayArg(fn, n); d != nil {
				c.checkDelay(cur, d)
			} else {
				c.backoffOption(n, fn)
			}
		case *ast.CompositeLit:
			c.backoffLiteral(n)
		case *ast.AssignStmt:
			c.backoffAssign(n)
		}
	}
}

// delayArg returns the duration that call waits for: time.Sleep,
// time.After, time.NewTimer, time.AfterFunc, (*time.Timer).Reset,
// shield.Sleep, and the methods of clock abstractions so named whose
// first parameter is a time.Duration.
func delayArg(fn *types.Func, call *ast.CallExpr) ast.Expr {
	switch {
	case fn == nil || len(call.Args) == 0:
		return nil
	case match.IsFunc(fn, "time", "Sleep", "After", "NewTimer", "AfterFunc"), match.IsMethod(fn, "time", "Timer", "Reset"):
		return call.Args[0]
	case match.IsFunc(fn, match.ShieldPath, "Sleep") && len(call.Args) == 2:
		return call.Args[1]
	case fn.Signature().Recv() != nil && fn.Pkg() != nil && fn.Pkg().Path() != "time":
		switch fn.Name() {
		case "Sleep", "After", "NewTimer", "AfterFunc":
			if p := fn.Signature().Params(); p.Len() > 0 && match.IsNamed(p.At(0).Type(), "time", "Duration") {
				return call.Args[0]
			}
		}
	}
	return nil
}

// flow is what flows into a delay within its function: the expressions
// it is computed from, and the assignments of the local variables they
// mention, transitively.
type flow struct {
	exprs   []ast.Expr
	assigns []assignment
	vars    map[*types.Var]bool
}

// An assignment gives a variable of the flow a value: x = e, x op= e,
// var x = e.
type assignment struct {
	cur inspector.Cursor // of the statement or spec
	v   *types.Var
	op  token.Token // token.ASSIGN for = := and var
	rhs ast.Expr
}

// flowOf returns the flow of d within the function fcur.
func (c *checker) flowOf(fcur inspector.Cursor, d ast.Expr) *flow {
	info := c.pass.TypesInfo
	fl := &flow{exprs: []ast.Expr{d}, vars: make(map[*types.Var]bool)}
	// Every assignment of the function, by variable, once.
	byVar := make(map[*types.Var][]assignment)
	for cur := range fcur.Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				continue // results of one call: nothing to follow
			}
			op := n.Tok
			if op == token.DEFINE {
				op = token.ASSIGN
			}
			for i, lhs := range n.Lhs {
				if v := assignedVar(info, lhs); v != nil {
					byVar[v] = append(byVar[v], assignment{cur: cur, v: v, op: op, rhs: n.Rhs[i]})
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if v, ok := info.Defs[id].(*types.Var); ok && i < len(n.Values) && len(n.Values) == len(n.Names) {
					byVar[v] = append(byVar[v], assignment{cur: cur, v: v, op: token.ASSIGN, rhs: n.Values[i]})
				}
			}
		}
	}
	for i := 0; i < len(fl.exprs); i++ {
		ast.Inspect(fl.exprs[i], func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false // runs later, if at all
			}
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || fl.vars[v] || !nav.IsLocal(v) || v.IsField() {
				return true
			}
			fl.vars[v] = true
			for _, a := range byVar[v] {
				fl.assigns = append(fl.assigns, a)
				fl.exprs = append(fl.exprs, a.rhs)
			}
			return true
		})
	}
	return fl
}

func assignedVar(info *types.Info, lhs ast.Expr) *types.Var {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok {
		return nil // a field, element or dereference
	}
	if v, ok := info.Defs[id].(*types.Var); ok {
		return v
	}
	v, _ := info.Uses[id].(*types.Var)
	return v
}

// checkDelay reports the wait at cur, whose delay is d, if d grows
// exponentially from one retry to the next with no random term.
func (c *checker) checkDelay(cur inspector.Cursor, d ast.Expr) {
	fcur, ok := nav.EnclosingFunc(cur)
	if !ok {
		return // a package-level initialiser waits once
	}
	if c.pass.TypesInfo.Types[d].Value != nil {
		return // a constant interval
	}
	if c.acceptLoop(cur) {
		return // backs off a listener's Accept: a local resource, not a dependency many clients share
	}
	fl := c.flowOf(fcur, d)
	growth := c.growth(cur, fcur, fl)
	if growth == nil {
		return // not exponential
	}
	if c.random(fl) {
		return // jittered, or computed by code we cannot see
	}
	text, _ := c.src.Text(growth.Pos(), growth.End())
	dtext, _ := c.src.Text(d.Pos(), d.End())
	diag := analysis.Diagnostic{
		Pos: d.Pos(), End: d.End(),
		Message: fmt.Sprintf("retry delay grows exponentially (%s) with no jitter: clients that failed together retry together, and stampede the dependency each time it comes back; wait retry.Jitter(%s)", text, dtext),
	}
	if growth != ast.Node(d) && !nav.Within(growth.Pos(), d) {
		diag.Related = []analysis.RelatedInformation{{Pos: growth.Pos(), End: growth.End(), Message: "the delay grows here"}}
	}
	if f, ok := c.jitterFix(d); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{f}
	}
	c.pass.Report(ruleNoJitter, diag)
}

// growth returns the node that makes the flow grow exponentially across
// the retries of the wait at cur: an assignment in a loop around it that
// multiplies or shifts a variable of the flow by itself (d *= 2, d <<= 1,
// d = min(d*2, max), d += d), or a shift or power whose exponent varies
// (1<<attempt, math.Pow(2, n), math.Exp2(n)) — with a loop variable, a
// variable the loop assigns, or a parameter.
func (c *checker) growth(cur, fcur inspector.Cursor, fl *flow) ast.Node {
	info := c.pass.TypesInfo
	loops := enclosingLoops(cur)
	for _, a := range fl.assigns {
		if !inAny(a.cur.Node(), loops) {
			continue // not repeated with the wait
		}
		if geometric(info, a) {
			return a.cur.Node()
		}
	}
	varying := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return !found
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || !nav.IsLocal(v) {
				return !found
			}
			if isParam(info, fcur, v) || loopVar(info, loops, v) || assignedIn(info, loops, v) {
				found = true
			}
			return !found
		})
		return found
	}
	for _, e := range fl.exprs {
		var hit ast.Node
		ast.Inspect(e, func(n ast.Node) bool {
			if hit != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // runs later, if at all
			case *ast.BinaryExpr:
				if n.Op == token.SHL && info.Types[n.Y].Value == nil && varying(n.Y) {
					hit = n
				}
			case *ast.CallExpr:
				fn := match.Callee(info, n)
				switch {
				case match.IsFunc(fn, "math", "Pow") && len(n.Args) == 2 && constAbove(info, n.Args[0], 1) && varying(n.Args[1]):
					hit = n
				case match.IsFunc(fn, "math", "Exp2", "Exp") && len(n.Args) == 1 && varying(n.Args[0]):
					hit = n
				}
			}
			return true
		})
		if hit != nil {
			return hit
		}
	}
	return nil
}

// geometric reports whether a multiplies its variable by a factor above
// one, shifts it left, or doubles it.
func geometric(info *types.Info, a assignment) bool {
	self := func(e ast.Expr) bool { return denotes(info, e, a.v) }
	factor := func(e ast.Expr) bool {
		// A constant above one, or a variable factor (a Multiplier
		// setting): a loop that multiplies by one is not backing off.
		if tv := info.Types[e]; tv.Value != nil {
			return constAbove(info, e, 1)
		}
		return !nav.Mentions(info, e, a.v)
	}
	switch a.op {
	case token.MUL_ASSIGN:
		return factor(a.rhs)
	case token.SHL_ASSIGN:
		return true
	case token.ADD_ASSIGN:
		return self(a.rhs)
	case token.ASSIGN:
		var grows func(e ast.Expr) bool
		grows = func(e ast.Expr) bool {
			e = stripConversions(info, e)
			switch e := e.(type) {
			case *ast.BinaryExpr:
				switch e.Op {
				case token.MUL:
					return (self(e.X) && factor(e.Y)) || (self(e.Y) && factor(e.X))
				case token.SHL:
					return self(e.X)
				case token.ADD:
					return self(e.X) && self(e.Y)
				}
			case *ast.CallExpr:
				// min(d*2, max) and max(…): the growing argument.
				if nav.IsBuiltin(info, e, "min") || nav.IsBuiltin(info, e, "max") {
					for _, arg := range e.Args {
						if grows(arg) {
							return true
						}
					}
				}
			}
			return false
		}
		return grows(a.rhs)
	}
	return false
}

// denotes reports whether e, less conversions, is the variable v.
func denotes(info *types.Info, e ast.Expr, v *types.Var) bool {
	id, ok := stripConversions(info, e).(*ast.Ident)
	return ok && info.Uses[id] == v
}

// stripConversions removes parentheses and type conversions:
// time.Duration(float64(d) * 1.5) is a product of d.
func stripConversions(info *types.Info, e ast.Expr) ast.Expr {
	for {
		e = ast.Unparen(e)
		call, ok := e.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 || !info.Types[call.Fun].IsType() {
			return e
		}
		e = call.Args[0]
	}
}

// constAbove reports whether e is a numeric constant above x.
func constAbove(info *types.Info, e ast.Expr, x int64) bool {
	v := info.Types[e].Value
	if v == nil || (v.Kind() != constant.Int && v.Kind() != constant.Float) {
		return false
	}
	return constant.Compare(v, token.GTR, constant.MakeInt64(x))
}

// acceptLoop reports whether a loop around the wait at cur accepts
// connections: a method named Accept… whose first result has a
// RemoteAddr method (net.Conn and its concrete types). Accept loops back
// off when the process runs out of file descriptors, as net/http's does;
// one loop per listener waits, and no client herds.
func (c *checker) acceptLoop(cur inspector.Cursor) bool {
	info := c.pass.TypesInfo
	for _, l := range enclosingLoops(cur) {
		found := false
		ast.Inspect(l, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			call, ok := n.(*ast.CallExpr)
			if !ok || found {
				return !found
			}
			fn := match.Callee(info, call)
			if fn == nil || fn.Signature().Recv() == nil || !strings.HasPrefix(fn.Name(), "Accept") || fn.Signature().Results().Len() == 0 {
				return true
			}
			obj, _, _ := types.LookupFieldOrMethod(fn.Signature().Results().At(0).Type(), true, fn.Pkg(), "RemoteAddr")
			_, found = obj.(*types.Func)
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

func enclosingLoops(cur inspector.Cursor) []ast.Node {
	var loops []ast.Node
	for l := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch l.Node().(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return loops
		}
		loops = append(loops, l.Node())
	}
	return loops
}

func inAny(n ast.Node, loops []ast.Node) bool {
	for _, l := range loops {
		if nav.Within(n.Pos(), l) {
			return true
		}
	}
	return false
}

// isParam reports whether v is a parameter of the function fcur.
func isParam(info *types.Info, fcur inspector.Cursor, v *types.Var) bool {
	var ft *ast.FuncType
	switch f := fcur.Node().(type) {
	case *ast.FuncDecl:
		ft = f.Type
	case *ast.FuncLit:
		ft = f.Type
	}
	for _, field := range ft.Params.List {
		for _, name := range field.Names {
			if info.Defs[name] == v {
				return true
			}
		}
	}
	return false
}

// loopVar reports whether v is the variable of one of the loops.
func loopVar(info *types.Info, loops []ast.Node, v *types.Var) bool {
	for _, l := range loops {
		switch l := l.(type) {
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{l.Key, l.Value} {
				if e != nil && assignedVar(info, e) == v {
					return true
				}
			}
		case *ast.ForStmt:
			if definesIn(info, l.Init, v) {
				return true
			}
		}
	}
	return false
}

func definesIn(info *types.Info, s ast.Stmt, v *types.Var) bool {
	as, ok := s.(*ast.AssignStmt)
	if !ok {
		return false
	}
	for _, lhs := range as.Lhs {
		if assignedVar(info, lhs) == v {
			return true
		}
	}
	return false
}

// assignedIn reports whether one of the loops assigns or increments v.
func assignedIn(info *types.Info, loops []ast.Node, v *types.Var) bool {
	found := false
	for _, l := range loops {
		ast.Inspect(l, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.IncDecStmt:
				found = found || assignedVar(info, n.X) == v
			case *ast.AssignStmt:
				found = found || definesIn(info, n, v)
			}
			return !found
		})
	}
	return found
}

// random reports whether a random term may flow into the delay: a call
// of math/rand, math/rand/v2, crypto/rand or hash/maphash, of time.Now (a
// clock read is a common jitter), of a function of this package that
// makes one, or of anything we cannot see into — a func value, or a
// function of another module, such as retry.Jitter.
func (c *checker) random(fl *flow) bool {
	found := false
	for _, e := range fl.exprs {
		ast.Inspect(e, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && !found {
				found = c.randomCall(call)
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

func (c *checker) randomCall(call *ast.CallExpr) bool {
	info := c.pass.TypesInfo
	if tv := info.Types[call.Fun]; tv.IsType() || tv.IsBuiltin() {
		return false // a conversion, min or max
	}
	fn := match.Callee(info, call)
	if fn == nil || fn.Pkg() == nil {
		return true // a func value: it may add jitter
	}
	path := match.PkgPath(fn.Pkg())
	switch {
	case isRandPkg(path), match.IsFunc(fn, "time", "Now"):
		return true
	case fn.Pkg() == c.pass.Pkg:
		return c.randomFunc(fn)
	case isStd(path):
		return false
	}
	return true // another module's function: it may add jitter
}

func isRandPkg(path string) bool {
	switch path {
	case "math/rand", "math/rand/v2", "crypto/rand", "hash/maphash":
		return true
	}
	return false
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// randomFunc reports whether fn, a function of this package, may make a
// random term: its body calls one (see random). Recursion counts as not
// random; the answers are memoised.
func (c *checker) randomFunc(fn *types.Func) bool {
	if r, ok := c.randomFuncs[fn]; ok {
		return r
	}
	if c.randomFuncs == nil {
		c.randomFuncs = make(map[*types.Func]bool)
	}
	c.randomFuncs[fn] = false // while we look: recursion is not random
	body := c.funcBody(fn)
	r := body == nil // declared elsewhere (assembly, linkname): cannot see
	if body != nil {
		ast.Inspect(body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && !r {
				r = c.randomCall(call)
			}
			return !r
		})
	}
	c.randomFuncs[fn] = r
	return r
}

func (c *checker) funcBody(fn *types.Func) *ast.BlockStmt {
	if c.decls == nil {
		c.decls = make(map[*types.Func]*ast.FuncDecl)
		for _, f := range c.pass.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					if obj, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
						c.decls[obj] = fd
					}
				}
			}
		}
	}
	if fd := c.decls[fn.Origin()]; fd != nil {
		return fd.Body
	}
	return nil
}
