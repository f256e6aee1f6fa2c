package fireforget

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/lint"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines that nothing waits for; see the package doc.
var Analyzer = lint.New(lint.Spec{
	Name:         "fireforget",
	Doc:          doc,
	Rules:        []*lint.Rule{ruleUntracked, ruleUnjoined, ruleLostError, ruleNoRecover, ruleNoShutdown},
	RuntimeFixes: true,
	Requires:     []*analysis.Analyzer{inspect.Analyzer},
	// The fact pass walks the syntax: it builds an inspector only in a
	// package that may declare a launcher (see facts).
	Facts: &lint.FactPass{
		Types: []analysis.Fact{new(launcherFact), new(funcFact), new(tasksFact)},
		Run:   facts,
	},
	Run: run,
})

// The rules; docs/precision.md has the measurements behind their defaults.
var (
	ruleUntracked = &lint.Rule{Name: "untracked", Default: true, Since: "v0.1.0"}
	ruleUnjoined  = &lint.Rule{Name: "unjoined", Strict: true, Since: "v0.1.0"}
	ruleLostError = &lint.Rule{Name: "lost-error", Strict: true, Since: "v0.1.0"}
	ruleNoRecover = &lint.Rule{Name: "no-recover", Since: "v0.1.0"}
	// no-shutdown fires only in programs that use the runtime's default
	// task group: it is what makes the untracked fix track something.
	ruleNoShutdown = &lint.Rule{Name: "no-shutdown", Default: true, Since: "v0.2.0"}
)

// Diagnostic messages; doc.go quotes them.
const (
	msgUntracked = "goroutine is never waited for: it can outlive shutdown; start it with task.Go, which task.Shutdown waits for"
	msgLauncher  = "%s starts its argument on a goroutine that is never waited for: it can outlive shutdown"
	msgAfterFunc = "go statement only calls %s, which returns at once and runs f on a goroutine of its own: drop the go"
	msgUnjoined  = "goroutine can be stopped but is never waited for: it can outlive shutdown; start it with task.Go"
	msgLostError = "go statement drops the error of %s: the failure goes unnoticed; start it with task.Go, which logs it"
	msgNoRecover = "goroutine has no deferred recover: a panic in it crashes the process"
	msgFix       = "Start the goroutine with task.Go"
	msgDropGo    = "Drop the go"
)

// A checker holds what one pass knows about the package.
type checker struct {
	pass  *lint.Pass
	info  *types.Info
	decls map[*types.Func]*ast.FuncDecl // same-package functions with a body
	// root is the package's inspector, built on first use (cursors): the
	// fact pass runs on every dependency and mostly needs none.
	root inspector.Cursor
	// declCurs are the cursors of decls, found with root.
	declCurs map[*types.Func]inspector.Cursor
	chans    *chanIndex // built on first use: most packages never classify a goroutine
	sums     map[*ast.BlockStmt]*summary
	muts     map[ast.Node]map[*types.Var]bool // per outermost function: variables it may change
	src      *fix.Source                      // file contents, for the fixes
	names    *fix.Names                       // the names the fixes declare
	// stops holds, per resource type, where the package calls a stop
	// method on one (see resourceCall).
	stops map[*types.TypeName][]token.Pos
	// recover says which functions of the package recover panics.
	recover recoverSets
	// once holds the functions of the package that are passed to
	// (*sync.Once).Do or sync.OnceFunc: they run once per process.
	once map[*types.Func]bool
	// launchers are the launcher facts of this package's functions, found
	// so far; facts of other packages are imported on demand.
	launchers map[*types.Func]*launcherFact
	// props says which functions of the package block and run (runs.go).
	props runsProps
	// command holds the functions of the package that run as a command's
	// own code, once per process (command.go).
	command map[ast.Node]bool
	// assigned holds where the package assigns each field and package
	// variable: built on first use (see writes).
	assigned map[*types.Var][]token.Pos

	// starts says the package has go statements or calls that pass a
	// func-typed argument (maybe launcher calls); tasksFrom is the package
	// that starts default-group tasks. The fact pass finds both.
	starts    bool
	tasksFrom string
	// mayRun says the package has what can make a function run (runs.go):
	// a loop that may not end by itself, a select with no cases, or a call
	// of another package's function that runs. Without one, no function of
	// the package runs, and findRuns has nothing to find.
	mayRun bool
	// Found with root: the go statements, the calls that pass a
	// func-typed argument, and the calls of task.Go and task.TryGo and of
	// task.Shutdown.
	gos, calls            []inspector.Cursor
	taskStarts, shutdowns []inspector.Cursor
}

// facts is the fact pass: on every package, dependencies included, it
// finds which functions run, recover, join and launch, and which package
// starts default-group tasks, and exports their facts. It walks the syntax;
// only where a declared function may start one of its parameters on a
// goroutine does it build the inspector that classifying the start needs.
// It returns the checker, which the reporting pass goes on with.
func facts(pass *lint.Pass) (any, error) {
	c := &checker{
		pass:      pass,
		info:      pass.TypesInfo,
		decls:     make(map[*types.Func]*ast.FuncDecl),
		sums:      make(map[*ast.BlockStmt]*summary),
		muts:      make(map[ast.Node]map[*types.Var]bool),
		names:     fix.NewNames(),
		stops:     make(map[*types.TypeName][]token.Pos),
		launchers: make(map[*types.Func]*launcherFact),
		once:      make(map[*types.Func]bool),
		recover:   recoverSets{calls: make(map[ast.Node]bool), guarded: make(map[ast.Node]bool), joins: make(map[ast.Node]bool)},
	}
	// The defer statements' calls and the functions around them: whether
	// a deferred call recovers is known once every recover call is.
	var deferCalls []*ast.CallExpr
	var deferrers []ast.Node
	var launches []launch
	startsTasks := false // the package starts default-group tasks outside its tests
	for _, f := range pass.Files {
		// The function being walked, if it has a func-typed parameter:
		// only such a function can be a launcher.
		var launcher *types.Func
		ast.PreorderStack(f, nil, func(n ast.Node, stack []ast.Node) bool {
			if len(stack) == 1 {
				launcher = nil // a declaration of the file: the last one's walk is over
			}
			switch n := n.(type) {
			case *ast.CommentGroup, *ast.ImportSpec, *ast.TypeSpec, *ast.FuncType, *ast.StructType, *ast.InterfaceType,
				*ast.ArrayType, *ast.MapType, *ast.ChanType:
				// Comments and types: no call there matters (an array
				// length can call only builtins), so the walk leaves them
				// out.
				return false
			case *ast.FuncDecl:
				if fn, ok := c.info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
					c.decls[fn] = n
					if hasFuncParam(fn) {
						launcher = fn
					}
				}
			case *ast.GoStmt:
				c.starts = true
				if launcher != nil && c.startedParam(n.Call.Fun, launcher.Signature().Params()) >= 0 {
					launches = append(launches, launch{n, launcher, nil})
				}
			case *ast.ForStmt:
				c.mayRun = c.mayRun || unboundedFor(c.info, n)
			case *ast.RangeStmt:
				c.mayRun = c.mayRun || isChan(c.info.TypeOf(n.X))
			case *ast.SelectStmt:
				c.mayRun = c.mayRun || len(n.Body.List) == 0
			case *ast.DeferStmt:
				if fun := enclosingFunc(stack); fun != nil {
					deferCalls, deferrers = append(deferCalls, n.Call), append(deferrers, fun)
				}
			case *ast.CallExpr:
				fn := match.Callee(c.info, n)
				c.factsOfCall(n, fn, stack)
				if passesFunc(c.info, n) {
					c.starts = true
					if launcher != nil && c.mayLaunch(n, fn) && c.startsParam(n, launcher) {
						launches = append(launches, launch{n, launcher, n})
					}
				}
				if !startsTasks && isTaskStart(fn) {
					startsTasks = !isTestFile(pass.Fset.File(n.Pos()).Name())
				}
			}
			return true
		})
	}
	for i, call := range deferCalls {
		if c.deferRecovers(call) {
			c.recover.guarded[deferrers[i]] = true
		}
	}
	c.findRuns()
	c.exportFuncFacts()
	c.findTasks(startsTasks)
	candidates := c.launchCandidates(launches)
	if len(candidates) == 0 || c.startsNothing() {
		return c, nil // no function of the package starts a parameter
	}
	c.cursors()
	other := func(cur inspector.Cursor) bool { return !candidates[cur.Node()] }
	c.findLaunchers(slices.DeleteFunc(slices.Clone(c.gos), other), slices.DeleteFunc(slices.Clone(c.calls), other))
	return c, nil
}

// hasFuncParam reports whether fn has a parameter of func type: only such
// a function can start one on a goroutine.
func hasFuncParam(fn *types.Func) bool {
	params := fn.Signature().Params()
	for i := range params.Len() {
		if _, ok := params.At(i).Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// mayLaunch reports whether call, of fn, may start one of its arguments on
// a goroutine: fn is a starter that waits, another package's launcher, or
// a function of the package (which launchCandidates sorts out).
func (c *checker) mayLaunch(call *ast.CallExpr, fn *types.Func) bool {
	return trackedArg(c.info, call) != nil || fn != nil && (fn.Pkg() == c.pass.Pkg || c.launcherOf(fn) != nil)
}

// startsParam reports whether call passes, as a func-typed argument, one
// of launcher's parameters or a literal that calls one.
func (c *checker) startsParam(call *ast.CallExpr, launcher *types.Func) bool {
	params := launcher.Signature().Params()
	for _, a := range call.Args {
		if t := c.info.TypeOf(a); t != nil {
			if _, ok := t.Underlying().(*types.Signature); ok && c.startedParam(a, params) >= 0 {
				return true
			}
		}
	}
	return false
}

// A launch is a go statement, or a call, in a declared function fn that
// may start one of fn's parameters.
type launch struct {
	node ast.Node
	fn   *types.Func
	call *ast.CallExpr // nil for a go statement
}

// launchCandidates returns the launches that can make their function a
// launcher: go statements, and calls of a starter that waits, of another
// package's launcher, or of a function of the package that is itself a
// candidate's. Only these need classifying (findLaunchers).
func (c *checker) launchCandidates(launches []launch) map[ast.Node]bool {
	candidates := make(map[ast.Node]bool)
	maybe := make(map[*types.Func]bool) // functions of the package that may be launchers
	for changed := true; changed; {
		changed = false
		for _, l := range launches {
			if candidates[l.node] {
				continue // already in
			}
			if l.call != nil && trackedArg(c.info, l.call) == nil {
				callee := match.Callee(c.info, l.call)
				if callee == nil || !maybe[callee] && (callee.Pkg() == c.pass.Pkg || c.launcherOf(callee) == nil) {
					continue // it calls no launcher, so far
				}
			}
			candidates[l.node] = true
			if !maybe[l.fn] {
				maybe[l.fn], changed = true, true
			}
		}
	}
	return candidates
}

// factsOfCall records what call, of fn, with the nodes around it in stack,
// tells the fact pass: it runs a function once, stops a resource,
// recovers, or counts a goroutine done.
func (c *checker) factsOfCall(call *ast.CallExpr, fn *types.Func, stack []ast.Node) {
	if runsOnce(fn) && len(call.Args) == 1 && passesFunc(c.info, call) {
		if f := c.funcOf(call.Args[0]); f != nil {
			c.once[f] = true
		}
	}
	if tn, stop := c.resourceCall(call); stop {
		c.stops[tn] = append(c.stops[tn], call.Pos())
	}
	if nav.IsBuiltin(c.info, call, "recover") {
		if fun := enclosingFunc(stack); fun != nil {
			c.recover.calls[fun] = true
		}
	}
	f := c.importedFuncFact(fn) // once, for runs and joins
	c.mayRun = c.mayRun || f.Runs
	if joinsKnown(fn) || f.Joins {
		if decl := joiningDecl(stack); decl != nil {
			c.recover.joins[decl] = true
		}
	}
}

// cursors returns the root of the package's inspector, finding the
// cursors of the checker's nodes on first use. The fact pass does not
// require inspect, which would build an inspector of every dependency;
// it uses inspect's where a driver has it already (resilvet's own, on a
// root: decisions.md, "Incremental runs"), and builds one otherwise.
func (c *checker) cursors() inspector.Cursor {
	if c.root.Inspector() == nil {
		in, ok := c.pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
		if !ok {
			in = inspector.New(c.pass.Files)
		}
		c.useInspector(in)
	}
	return c.root
}

// useInspector makes in the checker's inspector and finds with it the
// cursors of the package's functions, go statements and calls.
func (c *checker) useInspector(in *inspector.Inspector) {
	c.root = in.Root()
	c.declCurs = make(map[*types.Func]inspector.Cursor, len(c.decls))
	c.gos, c.calls, c.taskStarts, c.shutdowns = nil, nil, nil, nil
	for cur := range c.root.Preorder((*ast.FuncDecl)(nil), (*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			if fn, ok := c.info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
				c.declCurs[fn] = cur
			}
		case *ast.GoStmt:
			c.gos = append(c.gos, cur)
		case *ast.CallExpr:
			if passesFunc(c.info, n) {
				c.calls = append(c.calls, cur)
			}
			switch fn := match.Callee(c.info, n); {
			case isTaskStart(fn):
				c.taskStarts = append(c.taskStarts, cur)
			case match.IsFunc(fn, match.TaskPath, "Shutdown"):
				c.shutdowns = append(c.shutdowns, cur)
			}
		}
	}
}

// startsNothing reports whether the package starts no goroutine that
// fireforget looks at.
func (c *checker) startsNothing() bool {
	if !c.starts {
		return true // no goroutine is started here
	}
	// The runtime starts the process's own daemons (finalizers, cleanups,
	// the scavenger): nothing there is a task.
	path := c.pass.Pkg.Path()
	return path == "runtime" || strings.HasPrefix(path, "internal/runtime/")
}

func run(pass *lint.Pass) (any, error) {
	c := *pass.Facts().(*checker)
	c.pass = pass
	if c.root.Inspector() == nil {
		c.useInspector(pass.ResultOf[inspect.Analyzer].(*inspector.Inspector))
	}
	c.src = fix.NewSource(pass.Pass)
	c.checkShutdown()
	if c.startsNothing() {
		return nil, nil
	}
	c.findCommand()

	for _, cur := range c.gos {
		c.checkGo(cur)
	}
	if !c.pass.Enabled(ruleUntracked) {
		return nil, nil // launcher calls are reported only as untracked
	}
	for _, cur := range c.calls {
		c.checkLauncherCall(cur)
	}
	return nil, nil
}

// checkGo reports the go statement at cur under at most one rule.
func (c *checker) checkGo(cur inspector.Cursor) {
	gs := cur.Node().(*ast.GoStmt)
	if !c.pass.Reportable(gs.Pos()) {
		return // generated or test file: nothing would be shown
	}
	s := c.goStart(cur)
	if id, ok := s.fun.(*ast.Ident); ok {
		if _, ok := c.info.Uses[id].(*types.Builtin); ok {
			return // go panic(err): a deliberate crash; nothing else is worth a goroutine
		}
	}
	rng := goRange(gs)
	if match.IsFunc(s.fn, "time", "AfterFunc") || match.IsFunc(s.fn, "context", "AfterFunc") {
		// The goroutine only arms a timer: the finding is the go itself.
		c.pass.Report(ruleUntracked, analysis.Diagnostic{
			Pos: rng.Pos(), End: rng.End(),
			Message: fmt.Sprintf(msgAfterFunc, funcName(s.fn)),
			SuggestedFixes: []analysis.SuggestedFix{{Message: msgDropGo,
				TextEdits: []analysis.TextEdit{{Pos: gs.Go, End: gs.Call.Pos()}}}},
		})
		return // one diagnostic per go statement
	}
	if errFn, ok := c.dropsError(s); ok && c.pass.Enabled(ruleLostError) {
		c.report(ruleLostError, s, rng, fmt.Sprintf(msgLostError, errFn))
		return // one diagnostic per go statement
	}
	v := c.classify(s)
	strict := c.pass.Strict()
	switch {
	case !strict && (c.inCommand(cur) || v.lifetime || c.callback(s)):
		// A command's own daemons end with the process, and so do
		// goroutines that serve the process by design; a callback's
		// supplier decides how long it runs. The strict profile reports
		// them.
	case !v.waited && !v.bounded && c.pass.Enabled(ruleUntracked) && (strict || c.startRuns(s)):
		// By default only a goroutine that keeps running is a hazard:
		// one that ends by itself is reported by the strict profile.
		c.report(ruleUntracked, s, rng, msgUntracked)
		return // one diagnostic per go statement
	case v.bounded && !v.waited && c.pass.Enabled(ruleUnjoined):
		c.report(ruleUnjoined, s, rng, msgUnjoined)
		return // one diagnostic per go statement
	}
	if c.pass.Enabled(ruleNoRecover) && !c.recovers(s) {
		c.pass.Report(ruleNoRecover, analysis.Diagnostic{Pos: rng.Pos(), End: rng.End(), Message: msgNoRecover})
	}
}

// report reports the go statement of s with the task.Go fix, if one can be
// made.
func (c *checker) report(rule *lint.Rule, s *start, rng analysis.Range, msg string) {
	d := analysis.Diagnostic{Pos: rng.Pos(), End: rng.End(), Message: msg}
	if f, ok := c.taskFix(s); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{f}
	}
	c.pass.Report(rule, d)
}

// callback reports whether s runs a function value that the spawning
// function was not given as a parameter (that would make it a launcher): a
// hook or callback stored in a field, ranged over, or type-asserted, which
// its supplier owns.
func (c *checker) callback(s *start) bool {
	if s.fn != nil || s.impl != nil {
		return false // a declared function or method, or a literal
	}
	fn, params := c.enclosingDecl(s.cur)
	return fn == nil || c.startedParam(s.fun, params) < 0
}

// checkLauncherCall reports the call at cur if it calls a launcher that
// starts its argument untracked and that argument is not waited for or
// bounded by its own means.
func (c *checker) checkLauncherCall(cur inspector.Cursor) {
	call := cur.Node().(*ast.CallExpr)
	if !c.pass.Reportable(call.Pos()) {
		return // generated or test file
	}
	s := c.launcherStart(cur)
	if s == nil || s.state != stateUntracked {
		return // not a launcher, or one whose start is tracked
	}
	if fn, _ := c.enclosingDecl(cur); fn == s.via {
		return // a launcher calling itself: its own go statement is reported
	}
	if cur.ParentEdgeKind() == edge.GoStmt_Call {
		return // go launcher(f): the go statement is reported, once
	}
	strict := c.pass.Strict()
	if !strict && (c.inCommand(cur) || c.callback(s)) {
		return // a command's own code, or the function passed is someone else's callback
	}
	if v := c.classify(s); v.waited || v.bounded || !strict && (v.lifetime || !c.startRuns(s)) {
		return // the function passed is tracked by its own means, a daemon, or ends by itself
	}
	c.pass.Report(ruleUntracked, analysis.Diagnostic{
		Pos:     call.Fun.Pos(),
		End:     call.Fun.End(),
		Message: fmt.Sprintf(msgLauncher, funcName(s.via)),
	})
}

// goRange is what a go statement's diagnostic highlights: the statement up
// to its call's arguments, or a started literal's signature.
func goRange(gs *ast.GoStmt) analysis.Range {
	end := gs.Call.Lparen
	if lit, ok := ast.Unparen(gs.Call.Fun).(*ast.FuncLit); ok {
		end = lit.Type.End()
	}
	return fix.Span{From: gs.Go, To: end}
}

// funcName names fn for a message by its package's name: pkg.F,
// (*pkg.T).M or pkg.T.M.
func funcName(fn *types.Func) string {
	qual := func(p *types.Package) string { return p.Name() }
	recv := fn.Signature().Recv()
	if recv == nil {
		return fn.Pkg().Name() + "." + fn.Name()
	}
	t := types.TypeString(recv.Type(), qual)
	if strings.HasPrefix(t, "*") {
		t = "(" + t + ")"
	}
	return t + "." + fn.Name()
}
