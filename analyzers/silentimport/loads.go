package silentimport

import (
	"go/ast"
	"go/constant"
	"go/types"
	"slices"

	"github.com/resilvet/resilvet/internal/match"
)

// A load is a row of the table of fallible dynamic loads: calls that find
// code or data outside the binary at run time and return an error, always
// their last result, when it is missing.
type load struct {
	pkg   string   // package path
	recv  string   // receiver type name of a method, or "" for a function
	names []string // functions or methods of that package or type
	// missing says what goes unnoticed when the error is dropped.
	missing string
	// infallible reports whether a call cannot fail, so its error needs no
	// check; nil if every call can.
	infallible func(info *types.Info, call *ast.CallExpr) bool
}

// loads is the one table of the loads the rules discarded and
// silent-fallback know. Adding a row here is all a new load needs.
var loads = []load{
	{pkg: "database/sql", names: []string{"Open"}, missing: "an unregistered driver"},
	{pkg: "plugin", names: []string{"Open"}, missing: "a missing or incompatible plugin"},
	{pkg: "plugin", recv: "Plugin", names: []string{"Lookup"}, missing: "a missing plugin symbol"},
	{pkg: "time", names: []string{"LoadLocation"}, missing: "missing time zone data", infallible: builtinZone},
	{pkg: "text/template", names: parseNames, missing: "a missing or malformed template"},
	{pkg: "text/template", recv: "Template", names: parseNames, missing: "a missing or malformed template"},
	{pkg: "html/template", names: parseNames, missing: "a missing or malformed template"},
	{pkg: "html/template", recv: "Template", names: parseNames, missing: "a missing or malformed template"},
	{pkg: "image", names: []string{"Decode", "DecodeConfig"}, missing: "an unregistered image format or a corrupt image"},
}

// parseNames are the template loads that read files; Parse of a string in
// the binary is not a dynamic load.
var parseNames = []string{"ParseFiles", "ParseGlob", "ParseFS"}

// loadPkgs are the packages that declare loads: a package that imports none
// of them cannot call one.
var loadPkgs = []string{"database/sql", "plugin", "time", "text/template", "html/template", "image"}

// loadOf returns the row of the table that call matches, and its callee,
// or nil if call is not a load that can fail.
func loadOf(info *types.Info, call *ast.CallExpr) (*load, *types.Func) {
	fn := match.Callee(info, call)
	if fn == nil {
		return nil, nil // a builtin, a conversion or a func value
	}
	for i := range loads {
		l := &loads[i]
		var ok bool
		if l.recv == "" {
			ok = match.IsFunc(fn, l.pkg, l.names...)
		} else {
			ok = match.IsMethod(fn, l.pkg, l.recv, l.names...)
		}
		if !ok {
			continue // another row
		}
		if l.infallible != nil && l.infallible(info, call) {
			return nil, nil // cannot fail
		}
		return l, fn
	}
	return nil, nil
}

// builtinZone reports whether time.LoadLocation is called with a constant
// name it resolves without the time zone database.
func builtinZone(info *types.Info, call *ast.CallExpr) bool {
	if len(call.Args) != 1 {
		return false // not a plain call (cannot happen for LoadLocation)
	}
	name, ok := constString(info, call.Args[0])
	return ok && slices.Contains([]string{"UTC", "Local", ""}, name)
}

// constString returns the value of e if it is a constant string.
func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// loadName is how messages name a load: "sql.Open",
// "(*template.Template).ParseFiles".
func loadName(fn *types.Func) string {
	if r := match.Receiver(fn); r != nil {
		star := ""
		if _, ok := types.Unalias(fn.Signature().Recv().Type()).(*types.Pointer); ok {
			star = "*"
		}
		return "(" + star + r.Obj().Pkg().Name() + "." + r.Obj().Name() + ")." + fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}
