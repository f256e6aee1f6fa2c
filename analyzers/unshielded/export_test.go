package unshielded

import "go/types"

// TwinRow is a row of the detached-call table, for TestTwinTable.
type TwinRow struct {
	Pkg, Recv, Name, To string
	Fix                 string // "renameCtx", "renameCtxNil", "resolver", "dialer", "dialerTimeout" or ""
	NoFix, Silent       string
}

// TwinTable returns the detached-call table.
func TwinTable() []TwinRow {
	kinds := map[fixKind]string{renameCtx: "renameCtx", renameCtxNil: "renameCtxNil", resolver: "resolver", dialer: "dialer", dialerTimeout: "dialerTimeout"}
	var rows []TwinRow
	for _, r := range twins {
		rows = append(rows, TwinRow{Pkg: r.pkg, Recv: r.recv, Name: r.name, To: r.to, Fix: kinds[r.fix], NoFix: r.noFix, Silent: r.silent})
	}
	return rows
}

// SameShape is sameShape, for TestTwinTable.
func SameShape(orig, twin *types.Signature, extra int) bool { return sameShape(orig, twin, extra) }
