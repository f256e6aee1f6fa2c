package fix

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
)

// Names gives the fixes of one pass fresh names that are also distinct from
// each other. Each fix is computed against the code as it was, but a driver
// applies the fixes of a pass together: two go statements of one function
// fixed at once must not both declare v (a second v := is a compile error,
// and recorder1, v := … silently reuses the first v). An analyzer makes one
// Names per pass and asks it for every name a fix declares.
type Names struct {
	taken map[*types.Scope]map[string]bool // top-level function's scope → names fixes declared in it
}

// NewNames returns an empty Names.
func NewNames() *Names { return &Names{taken: make(map[*types.Scope]map[string]bool)} }

// Fresh returns a name as FreshName does, avoiding also avoid and every name
// an earlier call declared in the same top-level function, and records it.
func (n *Names) Fresh(info *types.Info, file *ast.File, pos token.Pos, base string, avoid ...string) string {
	key := topScope(info, file, pos)
	taken := n.taken[key]
	if taken == nil {
		taken = make(map[string]bool)
		n.taken[key] = taken
	}
	name := FreshName(info, file, pos, base, slices.Concat(avoid, slices.Collect(maps.Keys(taken)))...)
	taken[name] = true
	return name
}

// topScope returns the scope of the top-level declaration holding pos —
// the child of the file scope that encloses it — or the file scope itself.
func topScope(info *types.Info, file *ast.File, pos token.Pos) *types.Scope {
	fileScope := info.Scopes[file]
	if fileScope == nil {
		return nil
	}
	s := fileScope.Innermost(pos)
	for s != nil && s != fileScope && s.Parent() != fileScope {
		s = s.Parent()
	}
	if s == nil {
		return fileScope
	}
	return s
}
