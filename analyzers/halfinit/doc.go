// Package halfinit defines an Analyzer that reports singletons that can
// be seen half-made, and singletons whose failed initialisation is kept
// for ever.
//
// # Analyzer halfinit
//
// halfinit: report lazy singletons made without a lock, published before they are ready, or whose failure is kept for ever
//
// A singleton made on first use goes wrong in three ways. Made without a
// lock, two callers each see it missing and each make one, and every
// reader races with the writer. Published before its initialisation
// finishes, a caller gets a value whose set-up has not run, or never will.
// Made by a sync.Once whose function can fail, the failure is kept for
// ever: a dependency that was down for a second at start-up is down until
// the process restarts.
//
// Shared state is a package-level variable, or a field (at any depth) of
// one. A function of the package is quiet when nothing else can run it at
// the same time, as far as the package shows: init, a package-level
// initialiser, main before its first go statement, the function of a
// sync.Once or of a singleflight call, code under a lock, or an unexported
// function that only quiet code calls (one used as a value, or exported
// from a library, can be called from anywhere). A lock is held at a
// statement when every path to it from the function's entry takes it — a
// Lock, RLock, TryLock or TryRLock method of a type that also has the
// matching Unlock, or the runtime's lock(&m) — and does not release it,
// as the function's control-flow graph shows. A function literal that runs
// while its enclosing function waits inherits the locks held where it is
// called.
//
// The fixes rewrite recognised getters — a function made of the
// initialisation and a return of the value, of an unexported variable
// that nothing else in the package uses — to sync.OnceValue, when making
// the value cannot fail, or to singleton.Lazy of
// github.com/resilvet/resilvet/runtime/singleton, when it can. Both need
// Go 1.21 (the runtime module's go line). A singleton.Lazy fix is offered
// when the runtime module is already in the package's import graph, or
// with -halfinit.runtimefixes (set by resilvet -fix, which also adds the
// requirement to go.mod). Elsewhere the diagnostic names the other
// positions involved and offers no fix.
//
// What a fix changes. With sync.OnceValue the value is made once, by the
// first caller, while the others wait: that is the race removed. A panic
// while making it is raised again to every later caller instead of being
// retried by the next. The fix is offered only when the made value cannot
// be nil (&T{…}, new, make, a literal, or a function that returns one of
// those, as its facts say): the original tried again after a nil, the
// fixed code would keep it. With singleton.Lazy, concurrent callers share
// one attempt to make the value; a failed attempt is not kept, and the
// first Get at least a second after it makes a new one (until then Get
// returns an error that matches the failure and singleton.ErrRetryDelay,
// where the original would have tried again at once); the attempt runs on
// a task of runtime/task's default group, with a context that has the
// values of the ctx given to Get but not its cancellation and that ends
// after a minute; a caller whose ctx ends stops waiting, and gets
// ctx.Err(); a panic in the constructor becomes that attempt's error. Get
// is given the ctx in scope at the getter's return, or
// context.Background() where there is none (the fix's message says so).
// A _test.go file of the package that assigns the rewritten variable no
// longer compiles: the analyzer sees test files only with -halfinit.tests.
//
// # Rule racy-lazy
//
// racy-lazy: lazy initialisation of shared state with no lock, Once or atomic
//
// Reported: if x == nil { … x = … } on shared state x — and the forms
// x == "", x == 0 and len(x) == 0, alone or as an operand of && — where
// neither the test nor the assignment is under a lock, outside quiet code.
// Not reported, because it is not a singleton being made, or because the
// code is single-threaded by design or guarded in a way the analyzer does
// not judge:
//
//   - the value assigned is a parameter, a local copied from one, or a
//     constant (a default, or the first caller's argument recorded), rather
//     than made by a call or a literal;
//   - the package takes the variable's address, or a field's (a flag's
//     destination, a decoding target): something else fills it;
//   - the function also writes other shared state without a lock (a
//     registration that fills the map it makes);
//   - a call into sync/atomic comes first in the function (a hand-made
//     guard).
//
// Example:
//
//	// WRONG
//	var client *Client
//
//	func Default() *Client {
//		if client == nil { // lazy initialisation of client is not synchronised: concurrent callers race on it and may each build their own; use sync.OnceValue
//			client = newClient()
//		}
//		return client
//	}
//
//	// RIGHT
//	var client = sync.OnceValue(func() *Client {
//		return newClient()
//	})
//
//	func Default() *Client {
//		return client()
//	}
//
// A getter that can fail — its if ends with x = v and returns the zero
// value and an error on failure, and the getter returns x, nil — becomes
// singleton.Lazy:
//
//	// WRONG
//	func DB(ctx context.Context) (*sql.DB, error) {
//		if db == nil { // lazy initialisation of db is not synchronised: concurrent callers race on it and may each build their own; use singleton.Lazy
//			d, err := open(ctx)
//			if err != nil {
//				return nil, err
//			}
//			db = d
//		}
//		return db, nil
//	}
//
//	// RIGHT
//	var db = singleton.Lazy[*sql.DB]{New: func(ctx context.Context) (*sql.DB, error) {
//		d, err := open(ctx)
//		if err != nil {
//			return nil, err
//		}
//		return d, nil
//	}}
//
//	func DB(ctx context.Context) (*sql.DB, error) {
//		return db.Get(ctx)
//	}
//
// # Rule once-error
//
// once-error: a sync.Once or sync.OnceValues whose initialisation can fail for a transient reason
//
// A call can fail for a transient reason when it takes a context.Context
// (it can be cancelled or time out), when it is one of the standard
// library's network and database calls (net's Dial, Listen and Lookup
// functions, http.Get and (*http.Client).Do, (*sql.DB).Ping and Query, a
// TLS handshake, …), or when it is a function outside the standard library
// whose error can come from such a call, as its facts say. Local file and
// process calls (os.Open, os.ReadFile, exec.Cmd.Run) are not: a missing
// file or program stays missing. Close is never one: a Close run once keeps
// its error by design.
//
// Reported, in the function of a sync.Once's Do, sync.OnceFunc or
// sync.OnceValue (a literal, or a function of the package), a transient
// call whose error is
//
//   - kept where every later caller reads it (a package-level variable, a
//     field): they all get the first failure;
//   - kept in a local of the Once's caller: the first caller sees it, the
//     later ones get no error and no value;
//   - dropped (discarded, logged, or tested and returned from): the value
//     stays unset for ever;
//
// when the function makes a value that a failure leaves unset (it
// assigns something other than an error or a constant to state that
// outlives it, or it is OnceValue's). A failure that crashes (panic,
// log.Fatal) is not kept. A Once that is a local of the function calling
// it, and one run by a method Close, are left alone. For sync.OnceValues,
// reported when the error its function returns can come from a transient
// call. sync.OnceValue of a function that cannot fail, and a Once whose
// function cannot, are never reported.
//
// Example:
//
//	// WRONG
//	var (
//		dbOnce sync.Once
//		db     *sql.DB
//		dbErr  error
//	)
//
//	func DB() (*sql.DB, error) {
//		dbOnce.Do(func() {
//			db, dbErr = openDB() // sync.Once keeps the error of openDB for ever: after one failure every later caller gets it, and openDB is never called again; use singleton.Lazy
//		})
//		return db, dbErr
//	}
//
//	// RIGHT
//	var db = singleton.Lazy[*sql.DB]{New: func(context.Context) (*sql.DB, error) {
//		return openDB()
//	}}
//
//	func DB() (*sql.DB, error) {
//		return db.Get(context.Background())
//	}
//
// The other messages:
//
//	the error of net.Dial is dropped in the function run by sync.Once: if it fails, peer stays unset for ever and net.Dial is never called again; use singleton.Lazy
//	the error of net.Listen reaches only the first caller of sync.Once: if it fails, later callers get no error, and net.Listen is never called again; use singleton.Lazy
//	sync.OnceValues keeps the first error of fetchToken for ever: a transient failure (I/O, network, a cancelled context) is never retried; use singleton.Lazy
//
// Fixes: the getter above — a Once, a value and an error, each declared
// alone and used only by the getter, a Do whose function is one assignment
// of a call's two results, and a return of both — becomes singleton.Lazy;
// so does var load = sync.OnceValues(f) when every use of load is a call
// load(), each becoming load.Get(ctx) with the ctx in scope there (or
// context.Background()). What changes is said above: a failure is retried
// after a delay instead of kept.
//
// # Rule early-publish
//
// early-publish: shared state published before its initialisation finishes, or read outside the lock that guards it
//
// Reported:
//
//   - double-checked locking whose first read is plain: a test of x
//     outside the lock (if x == nil { mu.Lock(); if x == nil { x = … } },
//     or if x != nil { return x } ahead of the locked initialisation).
//     The plain read races with the write under the lock, and can see x
//     before its initialisation finishes;
//   - x = v followed, in the same block, by steps that go on initialising
//     x (a method call on it, a call it is passed to, an assignment to one
//     of its fields or elements) and then a conditional return: when a
//     step fails, the half-made value stays published for every later
//     caller, lock or no lock.
//
// A first read that is atomic (a sync/atomic flag) is not plain.
//
// Example:
//
//	// WRONG
//	func Get() *Cache {
//		if cache == nil { // cache is read outside the lock that guards its initialisation: the read races with the write and can see a half-made value; use sync.OnceValue
//			mu.Lock()
//			defer mu.Unlock()
//			if cache == nil {
//				cache = &Cache{}
//				cache.load()
//			}
//		}
//		return cache
//	}
//
//	// RIGHT
//	var cache = sync.OnceValue(func() *Cache {
//		c := &Cache{}
//		c.load()
//		return c
//	})
//
// and
//
//	// WRONG
//	half = &Cache{} // half is published before its initialisation finishes: if half.load fails, every later caller gets the half-made value
//	if err := half.load(); err != nil {
//		return nil, err
//	}
//
//	// RIGHT
//	c := &Cache{}
//	if err := c.load(); err != nil {
//		return nil, err
//	}
//	half = c
//
// No fix: the diagnostic's related positions show the write and the steps.
package halfinit
