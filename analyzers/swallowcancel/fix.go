package swallowcancel

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"

	"github.com/resilvet/resilvet/internal/contexts"
	"github.com/resilvet/resilvet/internal/fix"
	"github.com/resilvet/resilvet/internal/match"
	"github.com/resilvet/resilvet/internal/nav"
)

// guardFix inserts, before the first statement of the handling,
//
//	if cancel.Of(ctx, err) {   // or, without the runtime: if ctx.Err() != nil {
//		return zero, …, err
//	}
//
// naming the context the code works for (see root). Inside the handling
// err is not nil, so both forms hold exactly when ctx is done: the only
// change is that a failure once ctx has ended returns err instead of being
// handled. It returns nil when the function does not return an error
// last, a zero value cannot be written, the context or err cannot be named
// at the handling, or the handling is not a list of statements that each
// start a line.
func (c *checker) guardFix(s site, region ast.Node) *analysis.SuggestedFix {
	block, ok := region.(*ast.BlockStmt)
	if !ok || len(block.List) == 0 {
		return nil // no statement to put the guard before
	}
	first := block.List[0]
	pos := first.Pos()
	results, ok := nav.Results(c.info, s.ifCur)
	if !ok || results.Len() == 0 || !match.IsError(results.At(results.Len()-1).Type()) {
		return nil // the function cannot return the error
	}
	if !c.ctxs.Visible(s.err.Name(), s.err, pos) || !c.ctxs.Visible(s.rootName.Name(), s.rootName, pos) {
		return nil // err or the context is shadowed at the handling
	}
	zeros, edits, ok := c.zeros(results, pos)
	if !ok {
		return nil // a zero value we cannot write in this file
	}
	indent, alone, ok := c.src.Indent(pos)
	if !ok || !alone {
		return nil // no source, or the handling shares a line
	}
	guard := s.root.Expr + ".Err() != nil"
	msg := "Return the error when " + s.root.Expr + " is cancelled"
	if c.pass.RuntimeFixes() {
		prefix, importEdits, ok := fix.AddImport(c.info, c.file, pos, match.CancelPath, "cancel", "Of")
		if !ok {
			return nil // no way to refer to the runtime's cancel here
		}
		edits = append(edits, importEdits...)
		guard = prefix + "Of(" + s.root.Expr + ", " + s.err.Name() + ")"
		msg = "Return the error when cancel.Of(" + s.root.Expr + ", " + s.err.Name() + ")"
	}
	text := "if " + guard + " {\n" + indent + "\treturn " + zeros + s.err.Name() + "\n" + indent + "}\n" + indent
	edits = append(edits, fix.Insert(pos, text))
	return &analysis.SuggestedFix{Message: msg, TextEdits: fix.Dedup(edits)}
}

// zeros returns "z1, z2, …, " for every result but the last, as the code
// at pos writes them, with the import edits they need.
func (c *checker) zeros(results *types.Tuple, pos token.Pos) (string, []analysis.TextEdit, bool) {
	var b strings.Builder
	var edits []analysis.TextEdit
	for i := range results.Len() - 1 {
		z, e, ok := fix.ZeroValue(c.info, c.file, c.pass.Pkg, pos, results.At(i).Type())
		if !ok {
			return "", nil, false
		}
		b.WriteString(z + ", ")
		edits = append(edits, e...)
	}
	return b.String(), edits, true
}

// doneFix makes the Done arm cc leave the loop around its select: when
// code after the loop can run (the loop has other ways out), with a
// labelled break, so that the arm leaves as those do; when it cannot, with
// return, or return zero, …, ctx.Err() in a function that returns an
// error last. The break or return replaces a continue or break that ends
// the arm, or is appended to it, after the arm's own statements. It
// returns nil for a select in nested loops, an arm with other branches, a
// context written as more than names, or a function whose results do not
// allow it.
func (c *checker) doneFix(cur inspector.Cursor, cc *ast.CommClause, selCur inspector.Cursor, ctxExpr ast.Expr) *analysis.SuggestedFix {
	loopCur, ok := nav.EnclosingLoop(selCur)
	if !ok {
		return nil // a loop made of goto
	}
	if _, nested := nav.EnclosingLoop(loopCur); nested {
		return nil // which loop to leave is for the author
	}
	if !isNames(ctxExpr) {
		return nil // the context is not a plain name: evaluating it again may differ
	}
	for i, s := range cc.Body {
		if hasBranch(s) && (i != len(cc.Body)-1 || !isLoopBranch(s)) {
			return nil // some path may not reach the end of the arm
		}
	}
	fn, _ := nav.EnclosingFunc(cur)
	fi := c.funcOf(fn)
	var leave string
	var edits []analysis.TextEdit
	if after := fi.loopDone(loopCur.Node()); after {
		label, labelEdit, ok := c.label(fn, loopCur)
		if !ok {
			return nil
		}
		leave = "break " + label
		if labelEdit != nil {
			edits = append(edits, *labelEdit)
		}
	} else {
		results, ok := nav.Results(c.info, cur)
		switch {
		case !ok:
			return nil
		case results.Len() == 0:
			leave = "return"
		case match.IsError(results.At(results.Len() - 1).Type()):
			zeros, zedits, ok := c.zeros(results, cc.Pos())
			if !ok {
				return nil
			}
			leave = "return " + zeros + c.errText(ctxExpr)
			edits = append(edits, zedits...)
		default:
			return nil // the function cannot say why it stopped
		}
	}
	indent, alone, ok := c.src.Indent(cc.Pos())
	if !ok || !alone {
		return nil
	}
	switch {
	case len(cc.Body) == 0:
		end, ok := c.src.LineEnd(cc.Colon + 1)
		if !ok {
			return nil
		}
		edits = append(edits, fix.Insert(end, "\n"+indent+"\t"+leave))
	case isLoopBranch(cc.Body[len(cc.Body)-1]):
		edits = append(edits, fix.Replace(cc.Body[len(cc.Body)-1], leave))
	default:
		last := cc.Body[len(cc.Body)-1]
		end, ok := c.src.LineEnd(last.End())
		if !ok {
			return nil
		}
		in, _, _ := c.src.Indent(last.Pos())
		edits = append(edits, fix.Insert(end, "\n"+in+leave))
	}
	return &analysis.SuggestedFix{Message: "Leave the loop when the context is cancelled: " + leave, TextEdits: fix.Dedup(edits)}
}

// loopDone reports whether the code after loop can run: the graph's block
// after it is reachable.
func (fi *funcInfo) loopDone(loop ast.Node) bool {
	for _, b := range fi.g.Blocks {
		if b.Stmt == loop && (b.Kind == cfg.KindForDone || b.Kind == cfg.KindRangeDone) {
			return b.Live
		}
	}
	return true // no such block: assume it runs
}

// label returns the label of the loop at loopCur, and the edit that adds
// one if it has none: a name no label of fn uses.
func (c *checker) label(fn, loopCur inspector.Cursor) (string, *analysis.TextEdit, bool) {
	if ls, ok := loopCur.Parent().Node().(*ast.LabeledStmt); ok {
		return ls.Label.Name, nil, true
	}
	used := make(map[string]bool)
	for l := range fn.Preorder((*ast.LabeledStmt)(nil)) {
		used[l.Node().(*ast.LabeledStmt).Label.Name] = true
	}
	name := "loop"
	for i := 2; used[name]; i++ {
		name = "loop" + strconv.Itoa(i)
	}
	pos := loopCur.Node().Pos()
	indent, alone, ok := c.src.Indent(pos)
	if !ok || !alone {
		return "", nil, false
	}
	e := fix.Insert(pos, name+":\n"+indent)
	return name, &e, true
}

// isNames reports whether e is a name or a selection of names (s.ctx):
// writing it again reads the same context.
func isNames(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isNames(e.X)
	}
	return false
}

// hasBranch reports whether s holds a break, continue, goto or
// fallthrough outside function literals.
func hasBranch(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			found = true
		}
		return !found
	})
	return found
}

// isLoopBranch reports whether s is a continue or a break without label:
// the statement that sends the arm back round the loop.
func isLoopBranch(s ast.Stmt) bool {
	br, ok := s.(*ast.BranchStmt)
	return ok && br.Label == nil && (br.Tok == token.CONTINUE || br.Tok == token.BREAK)
}

// compareFix rewrites x == context.Canceled into errors.Is(x,
// context.Canceled), and != into !errors.Is. The comparison then also
// holds for errors that wrap the sentinel, or whose Is method says they
// match it.
func (c *checker) compareFix(b *ast.BinaryExpr, x ast.Expr, name string) *analysis.SuggestedFix {
	if !c.pass.AtLeast(b.Pos(), "go1.13") {
		return nil // errors.Is is Go 1.13
	}
	sentinel := b.Y
	if x == b.Y {
		sentinel = b.X
	}
	xText, ok1 := c.src.Text(x.Pos(), x.End())
	sText, ok2 := c.src.Text(sentinel.Pos(), sentinel.End())
	if !ok1 || !ok2 {
		return nil
	}
	prefix, edits, ok := fix.AddImport(c.info, c.file, b.Pos(), "errors", "errors", "Is")
	if !ok {
		return nil
	}
	not := ""
	if b.Op == token.NEQ {
		not = "!"
	}
	edits = append(edits, fix.Replace(b, not+prefix+"Is("+xText+", "+sText+")"))
	return &analysis.SuggestedFix{Message: "Use errors.Is(" + xText + ", context." + name + ")", TextEdits: fix.Dedup(edits)}
}

// switchFix rewrites switch err { case context.Canceled: … case x: … }
// into switch { case errors.Is(err, context.Canceled): … case err == x: … }.
// Only the sentinels' cases change meaning (they also match wrapping
// errors); err must be a name, as it is now evaluated for each case.
func (c *checker) switchFix(sw *ast.SwitchStmt) *analysis.SuggestedFix {
	if !c.pass.AtLeast(sw.Pos(), "go1.13") || !isNames(sw.Tag) {
		return nil
	}
	tag, ok := c.src.Text(sw.Tag.Pos(), sw.Tag.End())
	if !ok {
		return nil
	}
	before, ok := c.src.Text(sw.Tag.Pos()-1, sw.Tag.Pos())
	if !ok || before != " " {
		return nil
	}
	prefix, edits, ok := fix.AddImport(c.info, c.file, sw.Pos(), "errors", "errors", "Is")
	if !ok {
		return nil
	}
	edits = append(edits, analysis.TextEdit{Pos: sw.Tag.Pos() - 1, End: sw.Tag.End()})
	for _, s := range sw.Body.List {
		for _, e := range s.(*ast.CaseClause).List {
			text, ok := c.src.Text(e.Pos(), e.End())
			if !ok {
				return nil
			}
			switch {
			case contexts.Sentinel(c.info, e) != "":
				text = prefix + "Is(" + tag + ", " + text + ")"
			case isNil(c.info, e):
				text = tag + " == nil"
			default:
				text = tag + " == " + text
			}
			edits = append(edits, fix.Replace(e, text))
		}
	}
	return &analysis.SuggestedFix{Message: "Switch on errors.Is(" + tag + ", …)", TextEdits: fix.Dedup(edits)}
}
