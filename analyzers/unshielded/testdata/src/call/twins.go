package call

import (
	"context"
	"crypto/tls"
	"database/sql"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"time"
)

// Every row of the table, with a ctx in scope.
func rows(ctx context.Context, db *sql.DB, tx *sql.Tx, st *sql.Stmt, c *http.Client, d *net.Dialer, td *tls.Dialer, tc *tls.Conn, cfg *tls.Config, args []string, q string) {
	exec.Command("ls", "-l")                             // want `exec.Command is not cancelled when ctx is: use exec.CommandContext\(ctx, …\)`
	exec.Command("ls", args...)                          // want `exec.Command is not cancelled`
	http.NewRequest("GET", "/", nil)                     // want `http.NewRequest is not cancelled when ctx is: use http.NewRequestWithContext\(ctx, …\)`
	http.Get("/")                                        // want `http.Get is not cancelled when ctx is: use http.NewRequestWithContext\(ctx, …\) and Client.Do`
	http.Head("/")                                       // want `http.Head is not cancelled`
	http.Post("/", "text/plain", nil)                    // want `http.Post is not cancelled`
	http.PostForm("/", url.Values{})                     // want `http.PostForm is not cancelled`
	c.Get("/")                                           // want `\(\*http.Client\).Get is not cancelled`
	c.Head("/")                                          // want `\(\*http.Client\).Head is not cancelled`
	c.Post("/", "text/plain", nil)                       // want `\(\*http.Client\).Post is not cancelled`
	c.PostForm("/", url.Values{})                        // want `\(\*http.Client\).PostForm is not cancelled`
	net.Dial("tcp", "localhost:80")                      // want `net.Dial is not cancelled when ctx is: use \(&net.Dialer{…}\).DialContext\(ctx, …\)`
	net.DialTimeout("tcp", "localhost:80", time.Second)  // want `net.DialTimeout is not cancelled`
	d.Dial("tcp", "localhost:80")                        // want `\(\*net.Dialer\).Dial is not cancelled when ctx is: use DialContext\(ctx, …\)`
	net.LookupAddr("127.0.0.1")                          // want `net.LookupAddr is not cancelled when ctx is: use net.DefaultResolver.LookupAddr\(ctx, …\)`
	net.LookupCNAME("example.com")                       // want `net.LookupCNAME is not cancelled`
	net.LookupHost("example.com")                        // want `net.LookupHost is not cancelled`
	net.LookupIP("example.com")                          // want `net.LookupIP is not cancelled when ctx is: use net.DefaultResolver.LookupIP\(ctx, …\)`
	net.LookupMX("example.com")                          // want `net.LookupMX is not cancelled`
	net.LookupNS("example.com")                          // want `net.LookupNS is not cancelled`
	net.LookupPort("tcp", "http")                        // silent: reads the services database, not the network
	net.LookupSRV("xmpp", "tcp", "example.com")          // want `net.LookupSRV is not cancelled`
	net.LookupTXT("example.com")                         // want `net.LookupTXT is not cancelled`
	tls.Dial("tcp", "example.com:443", cfg)              // want `tls.Dial is not cancelled when ctx is: use \(&tls.Dialer{…}\).DialContext\(ctx, …\)`
	tls.DialWithDialer(d, "tcp", "example.com:443", cfg) // want `tls.DialWithDialer is not cancelled`
	tc.Handshake()                                       // want `\(\*tls.Conn\).Handshake is not cancelled when ctx is: use HandshakeContext\(ctx\)`
	td.Dial("tcp", "example.com:443")                    // want `\(\*tls.Dialer\).Dial is not cancelled`
	db.Begin()                                           // want `\(\*sql.DB\).Begin is not cancelled when ctx is: use BeginTx\(ctx, nil\)`
	db.Exec(q)                                           // want `\(\*sql.DB\).Exec is not cancelled when ctx is: use ExecContext\(ctx, …\)`
	db.Ping()                                            // want `\(\*sql.DB\).Ping is not cancelled`
	db.Prepare(q)                                        // want `\(\*sql.DB\).Prepare is not cancelled`
	db.Query(q, 1, "a")                                  // want `\(\*sql.DB\).Query is not cancelled`
	db.QueryRow(q)                                       // want `\(\*sql.DB\).QueryRow is not cancelled`
	tx.Exec(q)                                           // want `\(\*sql.Tx\).Exec is not cancelled`
	tx.Prepare(q)                                        // want `\(\*sql.Tx\).Prepare is not cancelled`
	tx.Query(q)                                          // want `\(\*sql.Tx\).Query is not cancelled`
	tx.QueryRow(q)                                       // want `\(\*sql.Tx\).QueryRow is not cancelled`
	tx.Stmt(st)                                          // want `\(\*sql.Tx\).Stmt is not cancelled when ctx is: use StmtContext\(ctx, …\)`
	st.Exec(1)                                           // want `\(\*sql.Stmt\).Exec is not cancelled`
	st.Query(1)                                          // want `\(\*sql.Stmt\).Query is not cancelled`
	st.QueryRow(1)                                       // want `\(\*sql.Stmt\).QueryRow is not cancelled`
}

// methodExprs calls twins through method expressions: the receiver is the
// first argument, and the context goes after it.
func methodExprs(ctx context.Context, db *sql.DB, d *net.Dialer, q string) {
	(*sql.DB).Query(db, q) // want `\(\*sql.DB\).Query is not cancelled when ctx is: use QueryContext\(ctx, …\)`
	(*sql.DB).Begin(db)    // want `\(\*sql.DB\).Begin is not cancelled when ctx is: use BeginTx\(ctx, nil\)`
	(*net.Dialer).Dial(d, "tcp", "localhost:80") // want `\(\*net.Dialer\).Dial is not cancelled`
}

// noCtx calls every row without a ctx in scope: nothing to pass, silent.
func noCtx(db *sql.DB, tx *sql.Tx, st *sql.Stmt, c *http.Client, d *net.Dialer, td *tls.Dialer, tc *tls.Conn, cfg *tls.Config, q string) {
	exec.Command("ls")
	http.NewRequest("GET", "/", nil)
	http.Get("/")
	http.Head("/")
	http.Post("/", "text/plain", nil)
	http.PostForm("/", url.Values{})
	c.Get("/")
	c.Head("/")
	c.Post("/", "text/plain", nil)
	c.PostForm("/", url.Values{})
	net.Dial("tcp", "localhost:80")
	net.DialTimeout("tcp", "localhost:80", time.Second)
	d.Dial("tcp", "localhost:80")
	net.LookupAddr("127.0.0.1")
	net.LookupCNAME("example.com")
	net.LookupHost("example.com")
	net.LookupIP("example.com")
	net.LookupMX("example.com")
	net.LookupNS("example.com")
	net.LookupPort("tcp", "http")
	net.LookupSRV("xmpp", "tcp", "example.com")
	net.LookupTXT("example.com")
	tls.Dial("tcp", "example.com:443", cfg)
	tls.DialWithDialer(d, "tcp", "example.com:443", cfg)
	tc.Handshake()
	td.Dial("tcp", "example.com:443")
	db.Begin()
	db.Exec(q)
	db.Ping()
	db.Prepare(q)
	db.Query(q)
	db.QueryRow(q)
	tx.Exec(q)
	tx.Prepare(q)
	tx.Query(q)
	tx.QueryRow(q)
	tx.Stmt(st)
	st.Exec(1)
	st.Query(1)
	st.QueryRow(1)
}

// dialTimeoutEffects: moving the timeout ahead of the other arguments
// would change the order of the calls: reported, no fix.
func dialTimeoutEffects(ctx context.Context) {
	net.DialTimeout("tcp", addr(), timeout()) // want `net.DialTimeout is not cancelled`
}

func addr() string           { return "localhost:80" }
func timeout() time.Duration { return time.Second }

// request: the handler's r.Context() is the ctx in scope.
func request(w http.ResponseWriter, r *http.Request) {
	exec.Command("date").Run() // want `exec.Command is not cancelled when r.Context\(\) is: use exec.CommandContext\(r.Context\(\), …\)`
}

// attachedLater: the ctx reaches the request and the command after they
// are made: silent.
func attachedLater(ctx context.Context, c *http.Client) error {
	req, err := http.NewRequest("GET", "/", nil)
	if err != nil {
		return err
	}
	req = req.WithContext(ctx)
	cmd := exec.Command("date")
	run(ctx, cmd)
	_, err = c.Do(req)
	return err
}

func run(ctx context.Context, cmd *exec.Cmd) {}

// built: the request is handed to the caller, which attaches its ctx: silent.
func built(ctx context.Context) (*http.Request, error) {
	req, err := http.NewRequest("GET", "/", nil)
	return req, err
}

// cleanup: deferred calls and calls after cancellation was seen run
// detached on purpose: silent.
func cleanup(ctx context.Context, db *sql.DB) {
	defer db.Exec("UNLOCK")
	<-ctx.Done()
	db.Exec("SHUTDOWN")
}

// shadowedDB: a method of an embedding type hides the twin: reported, no
// fix.
type wrapped struct{ *sql.DB }

func (wrapped) QueryContext() {}

func shadowedDB(ctx context.Context, w wrapped) {
	w.Query("SELECT 1") // want `\(\*sql.DB\).Query is not cancelled`
}

// embedded: promoted methods are matched and fixed through the embedding.
type store struct{ *sql.DB }

func embedded(ctx context.Context, s store) {
	s.Exec("SELECT 1") // want `\(\*sql.DB\).Exec is not cancelled`
}
