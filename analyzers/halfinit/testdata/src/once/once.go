//go:build go1.22

package once

import (
	"context"
	"database/sql"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
)

// openDB pings, which can fail for a while: a transient failure.
func openDB() (*sql.DB, error) { // want openDB:"transient, non-nil"
	db, err := sql.Open("postgres", "postgres://db")
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		return nil, err
	}
	return db, nil
}

// The getter shape: fixed with singleton.Lazy.
var (
	dbOnce sync.Once
	db     *sql.DB
	dbErr  error
)

func DB() (*sql.DB, error) {
	dbOnce.Do(func() {
		db, dbErr = openDB() // want `sync.Once keeps the error of openDB for ever: after one failure every later caller gets it, and openDB is never called again; use singleton.Lazy`
	})
	return db, dbErr
}

// With the ctx in scope: Get is given it.
func connect(ctx context.Context) (*sql.DB, error) { // want connect:"transient"
	db, err := sql.Open("postgres", "postgres://db")
	if err != nil {
		return nil, err
	}
	return db, db.PingContext(ctx)
}

var (
	ctxOnce sync.Once
	ctxDB   *sql.DB
	ctxErr  error
)

func DBContext(ctx context.Context) (*sql.DB, error) {
	ctxOnce.Do(func() {
		ctxDB, ctxErr = connect(ctx) // want `sync.Once keeps the error of connect for ever`
	})
	return ctxDB, ctxErr
}

// Dropped: the connection stays nil for ever.
var (
	peerOnce sync.Once
	peer     net.Conn
)

func Peer() net.Conn {
	peerOnce.Do(func() {
		conn, err := net.Dial("tcp", "peer:7000") // want `the error of net.Dial is dropped in the function run by sync.Once: if it fails, peer stays unset for ever and net.Dial is never called again; use singleton.Lazy`
		if err != nil {
			log.Print(err)
			return
		}
		peer = conn
	})
	return peer
}

// The error reaches the first caller only.
var (
	listenOnce sync.Once
	listener   net.Listener
)

func Listen() error {
	var err error
	listenOnce.Do(func() {
		listener, err = net.Listen("tcp", ":0") // want `the error of net.Listen reaches only the first caller of sync.Once: if it fails, later callers get no error, and net.Listen is never called again; use singleton.Lazy`
	})
	return err
}

// sync.OnceValue whose function drops a transient error.
var dbHost = sync.OnceValue(func() string {
	addrs, err := net.LookupHost("db") // want `the error of net.LookupHost is dropped in the function run by sync.OnceValue: if it fails, its result stays unset for ever`
	if err != nil {
		return ""
	}
	return addrs[0]
})

// sync.OnceFunc that keeps a value.
var (
	header http.Header
	warm   = sync.OnceFunc(func() {
		resp, err := http.Get("http://config/") // want `the error of http.Get is dropped in the function run by sync.OnceFunc: if it fails, header stays unset`
		if err != nil {
			return
		}
		header = resp.Header
	})
)

// sync.OnceValues of a literal: fixed with singleton.Lazy; each call gets
// the ctx in scope, or context.Background().
var loadConfig = sync.OnceValues(func() ([]byte, error) { // want `sync.OnceValues keeps the first error of http.Get for ever: a transient failure \(I/O, network, a cancelled context\) is never retried; use singleton.Lazy`
	resp, err := http.Get("http://config/")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
})

func Config(ctx context.Context) ([]byte, error) { return loadConfig() }

func ConfigNow() ([]byte, error) { return loadConfig() }

// sync.OnceValues of a named function.
func fetchToken() (string, error) { // want fetchToken:"transient"
	resp, err := http.Post("http://auth/token", "text/plain", nil)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	return resp.Status, nil
}

var token = sync.OnceValues(fetchToken) // want `sync.OnceValues keeps the first error of fetchToken for ever`

func Token() (string, error) { return token() }

// Silent: a Once whose function cannot fail.
var (
	tableOnce sync.Once
	table     map[string]int
)

func Table() map[string]int {
	tableOnce.Do(func() {
		table = map[string]int{"a": 1}
	})
	return table
}

// Silent: sync.OnceValue of an infallible function.
var answer = sync.OnceValue(func() int { return 42 })

// Silent: the error cannot be a transient failure.
var parsed = sync.OnceValues(func() (int, error) { return strconv.Atoi("42") })

// Silent: local files are not transient failures.
var motd = sync.OnceValues(func() ([]byte, error) { return os.ReadFile("/etc/motd") })

// Silent: the failure crashes instead of being kept.
var (
	mustOnce sync.Once
	must     net.Conn
)

func Must() net.Conn {
	mustOnce.Do(func() {
		conn, err := net.Dial("tcp", "peer:7000")
		if err != nil {
			log.Fatal(err)
		}
		must = conn
	})
	return must
}

// Silent: a Once made for one call.
func Local() (net.Conn, error) {
	var once sync.Once
	var conn net.Conn
	var err error
	once.Do(func() { conn, err = net.Dial("tcp", "peer:7000") })
	return conn, err
}

// Silent: nothing is made that a failure leaves unset; only the error of
// a stop is kept.
var (
	pingOnce sync.Once
	stopOnce sync.Once
	stopErr  error
)

func Ping() {
	pingOnce.Do(func() { http.Get("http://peer/ping") })
}

func Stop(ctx context.Context, srv *http.Server) error {
	stopOnce.Do(func() { stopErr = srv.Shutdown(ctx) })
	return stopErr
}

var _ = []any{answer, parsed, motd, dbHost, warm}
