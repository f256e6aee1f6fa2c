package halfinit

import "github.com/resilvet/resilvet/internal/match"

// transientAPIs are the standard library's calls whose error can be a
// transient failure of a remote party — the network, a database — that
// a later attempt may not meet, and a context's cancellation. The
// standard library's calls that take a context.Context are transient by
// their signature and are not listed. The standard library
// is judged by this table alone, not by facts: its internals read files
// and run programs whose failures (a missing /proc file, os.Executable,
// a go command that is not installed) a retry does not outlive. For the
// same reason local file-system and process calls (os.Open, exec.Cmd.Run)
// are not listed, nor sql.Open (it only checks the driver name), nor
// Close (a teardown, run once by design).
var transientAPIs = match.APIs{
	{Pkg: "net", Names: []string{
		"Dial", "DialTimeout", "DialTCP", "DialUDP", "DialIP", "DialUnix",
		"Listen", "ListenPacket", "ListenTCP", "ListenUDP", "ListenUnix", "ListenUnixgram", "ListenMulticastUDP", "ListenIP",
		"LookupHost", "LookupIP", "LookupAddr", "LookupCNAME", "LookupMX", "LookupNS", "LookupPort", "LookupSRV", "LookupTXT",
		"ResolveTCPAddr", "ResolveUDPAddr", "ResolveIPAddr",
	}},
	{Pkg: "net", Recv: "Dialer", Names: []string{"Dial"}},
	{Pkg: "net", Recv: "Conn", Names: []string{"Read", "Write"}},
	{Pkg: "net", Recv: "Listener", Names: []string{"Accept"}},
	{Pkg: "net/http", Names: []string{"Get", "Head", "Post", "PostForm"}},
	{Pkg: "net/http", Recv: "Client", Names: []string{"Do", "Get", "Head", "Post", "PostForm"}},
	{Pkg: "net/http", Recv: "RoundTripper", Names: []string{"RoundTrip"}},
	{Pkg: "net/http", Recv: "Transport", Names: []string{"RoundTrip"}},
	{Pkg: "net/rpc", Names: []string{"Dial", "DialHTTP", "DialHTTPPath"}},
	{Pkg: "net/rpc", Recv: "Client", Names: []string{"Call"}},
	{Pkg: "net/smtp", Names: []string{"Dial", "SendMail"}},
	{Pkg: "net/textproto", Names: []string{"Dial"}},
	{Pkg: "crypto/tls", Names: []string{"Dial", "DialWithDialer"}},
	{Pkg: "crypto/tls", Recv: "Dialer", Names: []string{"Dial"}},
	{Pkg: "crypto/tls", Recv: "Conn", Names: []string{"Handshake", "Read", "Write"}},
	{Pkg: "database/sql", Recv: "DB", Names: []string{"Ping", "Exec", "Query", "Begin", "Prepare"}},
	{Pkg: "database/sql", Recv: "Tx", Names: []string{"Exec", "Query", "Prepare", "Commit"}},
	{Pkg: "database/sql", Recv: "Stmt", Names: []string{"Exec", "Query"}},
	{Pkg: "database/sql", Recv: "Row", Names: []string{"Scan", "Err"}},
	{Pkg: "database/sql", Recv: "Rows", Names: []string{"Scan", "Err"}},
	// A context's own error is its cancellation.
	{Pkg: "context", Recv: "Context", Names: []string{"Err"}},
}
