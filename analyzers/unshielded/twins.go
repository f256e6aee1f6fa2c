package unshielded

import (
	"go/types"
	"strings"

	"github.com/resilvet/resilvet/internal/match"
)

// A twin is one row of the detached-call table: a standard-library call
// that cannot be cancelled, the context-taking API that replaces it, and
// the exact rewrite its fix makes, or why there is none.
//
// TestTwinTable checks every row against the standard library's go/types
// information: the call exists, the twin exists, and a rewrite row's twin
// takes a context.Context first and otherwise the same parameters and
// results. It also checks that no same-shaped twin of the covered types is
// missing from the table.
type twin struct {
	pkg  string // package path of the call
	recv string // receiver's named type, "" for a package-level function
	name string // the call
	fix  fixKind
	to   string // the twin's name, for the message and the rewrite
	// noFix says why a row has no fix: the rewrite would change a type, a
	// result, evaluation order or more than the call.
	noFix string
	// silent says why the call is never reported: it has a twin, but waits
	// on nothing that cancellation could end.
	silent string
}

// fixKind is the shape of a row's rewrite.
type fixKind int

const (
	_ fixKind = iota // zero: no fix; rows without one set no kind
	// renameCtx: x.F(args) → x.FContext(ctx, args).
	renameCtx
	// renameCtxNil: x.Begin() → x.BeginTx(ctx, nil).
	renameCtxNil
	// resolver: net.LookupX(args) → net.DefaultResolver.LookupX(ctx, args).
	resolver
	// dialer: net.Dial(n, a) → (&net.Dialer{}).DialContext(ctx, n, a).
	dialer
	// dialerTimeout: net.DialTimeout(n, a, t) →
	// (&net.Dialer{Timeout: t}).DialContext(ctx, n, a), offered only when
	// moving t ahead of n and a cannot change what is evaluated.
	dialerTimeout
)

const (
	whyClient = "the context-taking form needs a request built with http.NewRequestWithContext and passed to Client.Do: a new statement, not a rewrite of the call"
	whyTLS    = "(*tls.Dialer).DialContext returns a net.Conn, not a *tls.Conn"
	whyIP     = "(*net.Resolver).LookupIP(ctx, \"ip\", host) takes another path than net.LookupIP (internetAddrList, not LookupIPAddr), and LookupIPAddr returns []net.IPAddr"
)

// twins is the detached-call table.
var twins = []twin{
	{pkg: "os/exec", name: "Command", fix: renameCtx, to: "CommandContext"},

	{pkg: "net/http", name: "NewRequest", fix: renameCtx, to: "NewRequestWithContext"},
	{pkg: "net/http", name: "Get", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", name: "Head", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", name: "Post", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", name: "PostForm", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", recv: "Client", name: "Get", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", recv: "Client", name: "Head", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", recv: "Client", name: "Post", to: "NewRequestWithContext", noFix: whyClient},
	{pkg: "net/http", recv: "Client", name: "PostForm", to: "NewRequestWithContext", noFix: whyClient},

	{pkg: "net", name: "Dial", fix: dialer, to: "DialContext"},
	{pkg: "net", name: "DialTimeout", fix: dialerTimeout, to: "DialContext"},
	{pkg: "net", recv: "Dialer", name: "Dial", fix: renameCtx, to: "DialContext"},
	{pkg: "net", name: "LookupAddr", fix: resolver, to: "LookupAddr"},
	{pkg: "net", name: "LookupCNAME", fix: resolver, to: "LookupCNAME"},
	{pkg: "net", name: "LookupHost", fix: resolver, to: "LookupHost"},
	{pkg: "net", name: "LookupIP", to: "LookupIP", noFix: whyIP},
	{pkg: "net", name: "LookupMX", fix: resolver, to: "LookupMX"},
	{pkg: "net", name: "LookupNS", fix: resolver, to: "LookupNS"},
	{pkg: "net", name: "LookupPort", fix: resolver, to: "LookupPort", silent: "LookupPort parses a number or reads the services database, not the network"},
	{pkg: "net", name: "LookupSRV", fix: resolver, to: "LookupSRV"},
	{pkg: "net", name: "LookupTXT", fix: resolver, to: "LookupTXT"},

	{pkg: "crypto/tls", name: "Dial", to: "DialContext", noFix: whyTLS},
	{pkg: "crypto/tls", name: "DialWithDialer", to: "DialContext", noFix: whyTLS},
	{pkg: "crypto/tls", recv: "Conn", name: "Handshake", fix: renameCtx, to: "HandshakeContext"},
	{pkg: "crypto/tls", recv: "Dialer", name: "Dial", fix: renameCtx, to: "DialContext"},

	// sql.Conn has no method without a context; sql.Stmt has no Prepare,
	// Ping or Begin; sql.Tx has no Ping or Begin (TestTwinTable checks).
	{pkg: "database/sql", recv: "DB", name: "Begin", fix: renameCtxNil, to: "BeginTx"},
	{pkg: "database/sql", recv: "DB", name: "Exec", fix: renameCtx, to: "ExecContext"},
	{pkg: "database/sql", recv: "DB", name: "Ping", fix: renameCtx, to: "PingContext"},
	{pkg: "database/sql", recv: "DB", name: "Prepare", fix: renameCtx, to: "PrepareContext"},
	{pkg: "database/sql", recv: "DB", name: "Query", fix: renameCtx, to: "QueryContext"},
	{pkg: "database/sql", recv: "DB", name: "QueryRow", fix: renameCtx, to: "QueryRowContext"},
	{pkg: "database/sql", recv: "Tx", name: "Exec", fix: renameCtx, to: "ExecContext"},
	{pkg: "database/sql", recv: "Tx", name: "Prepare", fix: renameCtx, to: "PrepareContext"},
	{pkg: "database/sql", recv: "Tx", name: "Query", fix: renameCtx, to: "QueryContext"},
	{pkg: "database/sql", recv: "Tx", name: "QueryRow", fix: renameCtx, to: "QueryRowContext"},
	{pkg: "database/sql", recv: "Tx", name: "Stmt", fix: renameCtx, to: "StmtContext"},
	{pkg: "database/sql", recv: "Stmt", name: "Exec", fix: renameCtx, to: "ExecContext"},
	{pkg: "database/sql", recv: "Stmt", name: "Query", fix: renameCtx, to: "QueryContext"},
	{pkg: "database/sql", recv: "Stmt", name: "QueryRow", fix: renameCtx, to: "QueryRowContext"},
}

// lookupTwin returns the row of the table for fn, or nil.
func lookupTwin(fn *types.Func) *twin {
	path := match.PkgPath(fn.Pkg())
	switch path {
	case "os/exec", "net/http", "net", "crypto/tls", "database/sql":
	default:
		return nil // fast path: no row for this package
	}
	recv := ""
	if named := match.Receiver(fn); named != nil {
		recv = named.Obj().Name()
	} else if fn.Signature().Recv() != nil {
		return nil // a method of an unnamed type
	}
	for i := range twins {
		if r := &twins[i]; r.pkg == path && r.recv == recv && r.name == fn.Name() {
			return r
		}
	}
	return nil
}

// display returns how messages name the row's call: "exec.Command",
// "(*sql.DB).Query".
func (r *twin) display() string {
	pkg := r.pkg[strings.LastIndex(r.pkg, "/")+1:]
	if r.recv == "" {
		return pkg + "." + r.name
	}
	return "(*" + pkg + "." + r.recv + ")." + r.name
}

// suggestion returns how messages name the twin, with ctx as its context;
// args says whether the call has arguments to follow ctx.
func (r *twin) suggestion(ctx string, args bool) string {
	pkg := r.pkg[strings.LastIndex(r.pkg, "/")+1:]
	rest := ", …)"
	if !args {
		rest = ")"
	}
	switch {
	case r.noFix == whyClient:
		return "http.NewRequestWithContext(" + ctx + ", …) and Client.Do"
	case r.noFix == whyTLS:
		return "(&tls.Dialer{…}).DialContext(" + ctx + ", …)"
	case r.fix == dialer || r.fix == dialerTimeout:
		return "(&net.Dialer{…}).DialContext(" + ctx + ", …)"
	case r.fix == resolver || r.noFix == whyIP:
		return "net.DefaultResolver." + r.to + "(" + ctx + rest
	case r.fix == renameCtxNil:
		return r.to + "(" + ctx + ", nil)"
	case r.recv == "":
		return pkg + "." + r.to + "(" + ctx + rest
	}
	return r.to + "(" + ctx + rest
}

// sameShape reports whether twin takes a context.Context followed by the
// parameters of orig and extra more, and returns exactly orig's results:
// then x.F(args) → x.Twin(ctx, args, extra...) keeps every argument's
// type and evaluation order and every result's type.
func sameShape(orig, twin *types.Signature, extra int) bool {
	op, tp := orig.Params(), twin.Params()
	if tp.Len() != 1+op.Len()+extra || tp.Len() == 0 || !match.IsContext(tp.At(0).Type()) {
		return false
	}
	for i := range op.Len() {
		if !types.Identical(op.At(i).Type(), tp.At(1+i).Type()) {
			return false
		}
	}
	if orig.Variadic() != twin.Variadic() || (extra > 0 && twin.Variadic()) {
		return false
	}
	return types.Identical(orig.Results(), twin.Results())
}
