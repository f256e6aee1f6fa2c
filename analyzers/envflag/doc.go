// Package envflag defines an Analyzer that reports process-wide state — an
// environment variable, a package-level flag — that is set and then not
// cleared on every path, or set where something narrower would do.
//
// # Analyzer envflag
//
// envflag: report process-wide flags and environment variables that are not restored on every path
//
// A coordination flag tells the rest of a process that an operation is in
// progress: an environment variable NODE_BOOTING=1, a package-level
// booting bool, an atomic.Bool. When the code that raises it clears it by
// hand on each exit path, the one path that forgets — an early return, a
// panic — leaves every other component believing the operation is still
// going on, for the life of the process. One defer clears it on every
// path, panics included. github.com/resilvet/resilvet/runtime/coord has
// the canonical forms: coord.SetEnv, whose restore puts back exactly what
// was there before, and coord.Flag, a counted in-process flag with a wait.
//
// The analyzer knows these writes of process-wide state, by type:
// os.Setenv, os.Unsetenv and os.Clearenv; the Store, Swap and
// CompareAndSwap methods of atomic.Bool, Int32, Int64, Uint32, Uint64 and
// Uintptr, and atomic.StoreInt32 and friends, on package-level variables
// or their fields; assignments to package-level bool variables or their
// fields; and the restore functions of coord.SetEnv and (*coord.Flag).Raise
// kept in a local variable. A package-level variable is a flag only if
// every write in the function stores a constant, of two values (for
// integers, 0 and one other), and the first stores the non-zero one:
// counters (Add), computed values and settings initialised to their
// zero value first are not flags.
//
// Every rule is off by default and on in the strict profile
// (-envflag.strict, or -strict): switch one on with -envflag.rules=+RULE.
// unrestored and child-env are off because real libraries and services so
// rarely have the hazard in process-wide state that their precision could
// not be measured; library-setenv because it is a policy, not a mistake
// every maintainer would own (below).
//
// Test files are checked only with -envflag.tests, as for every analyzer:
// then unrestored and child-env report there too (t.Fatal is an exit
// path, and a flag left set leaks into the next test), but library-setenv
// never does: a test is not a library, and testing.T.Setenv is the tool
// there.
//
// # Rule unrestored
//
// unrestored: process-wide state reset by hand on some exit paths but not on all of them
//
// A function sets a flag or an environment variable, resets it by hand on
// some of its exit paths, and leaves on another — a return, a panic, a
// t.Fatal — without resetting it, and no defer covers the reset. The
// diagnostic is at the set; its related positions are the exits that miss
// the reset. Paths that end the process (os.Exit, log.Fatal) do not count,
// nor does the branch on which the set itself failed (err :=
// os.Setenv(…); if err != nil { return err }), nor, after os.Unsetenv(k),
// the branch where os.LookupEnv found k unset. Resets may be made by a
// function of the same package or a local function literal that the
// function calls.
//
//	// WRONG
//	func boot() error {
//		os.Setenv("NODE_BOOTING", "1") // os.Setenv("NODE_BOOTING", …) is undone on some exit paths but not on 1 other: NODE_BOOTING stays set for the whole process; defer the reset, or use coord.SetEnv
//		if err := load(); err != nil {
//			os.Unsetenv("NODE_BOOTING")
//			return err
//		}
//		if err := start(); err != nil {
//			return err // returns here without undoing it
//		}
//		os.Unsetenv("NODE_BOOTING")
//		return nil
//	}
//
//	// RIGHT
//	func boot() error {
//		os.Setenv("NODE_BOOTING", "1")
//		defer os.Unsetenv("NODE_BOOTING")
//		if err := load(); err != nil {
//			return err
//		}
//		return start()
//	}
//
// The same for flags:
//
//	booting = true // booting is set to true and reset on some exit paths but not on 1 other: it stays true for the whole process; defer the reset
//	lower := Booting.Raise() // lower is called on some exit paths but not on 1 other: what it restores stays changed; defer it
//
// Silent: a reset in a defer (or in a deferred literal or helper); a set
// with no reset at all in the function, such as a main setting a variable
// for the rest of the process; a reset handed to a goroutine or a literal
// that runs later; and a rollback — a set that every failure path undoes
// and the success path keeps on purpose — unless a failure path forgets
// it, which is then reported alone. Known limits: a panic is an exit path
// only where the function calls panic (or log.Panic), not wherever a call
// might panic; a function of another package that never returns, other
// than the standard library's and a few loggers' Fatal, is taken to
// return; a variable named by a loop variable is not followed; and a flag
// in a field of a method's receiver is not process-wide state, so it is
// not followed either.
//
// The fix inserts one defer of the reset right after the set (after the
// if statement that returns when the set failed, or first in the branch
// where a CompareAndSwap succeeded) and deletes the resets made by hand.
// It changes only the paths that missed the reset: they now reset, panics
// included. It is offered only when the state is set once, not in a loop,
// and no reset runs on a path where the set has not happened (the other
// branch of a CompareAndSwap, a set that failed); every reset is the same
// statement, of its own, with
// operands that keep their values; no defer is registered after the set;
// the code after each reset makes no call (but builtins, conversions,
// errors.New, fmt.Errorf and a few other formatting functions, whose
// operands' Error and String methods are assumed not to read the state),
// no channel operation and no read of the flag; a plain bool is not
// written under a lock; and the resets are not a rollback or conditional
// on os.LookupEnv. For a coord restore function, which may be called twice,
// the fix only adds defer lower() and keeps the calls by hand.
//
// # Rule child-env
//
// child-env: os.Setenv used to pass a value to a child process started in the same function
//
// os.Setenv changes the environment of the whole process: while it is
// set, every goroutine sees the variable and every child process started
// anywhere inherits it. To pass a value to one command, set the command's
// Env. The rule reports an os.Setenv whose variable reaches a command that
// the function starts (Start, Run, Output, CombinedOutput of an exec.Cmd
// made by exec.Command or exec.CommandContext) before resetting it, when
// the command runs with the process's environment (its Env is not set, or
// is set from os.Environ() or cmd.Environ()). It is silent in the main
// function of a main package when the variable is never reset there: the
// command sets it for the rest of its own life.
//
//	// WRONG
//	os.Setenv("GOOS", "linux") // os.Setenv("GOOS", …) passes GOOS to the child process started by cmd.Run, but sets it for the whole process: other goroutines and every other child see it too; set cmd.Env instead
//	defer os.Unsetenv("GOOS")
//	cmd := exec.Command("go", "build", "./...")
//	return cmd.Run()
//
//	// RIGHT
//	cmd := exec.Command("go", "build", "./...")
//	cmd.Env = append(os.Environ(), "GOOS=linux")
//	return cmd.Run()
//
// The fix deletes the os.Setenv and the os.Unsetenv calls that undo it,
// and sets the command's Env on the line before it starts, where Start
// would have read the environment: append(os.Environ(), "K=V"), or, when
// the function sets the command's Dir, append(cmd.Environ(), "K=V"),
// which also sets PWD as Start does (Go 1.19). The child sees what it saw
// before (exec.Cmd keeps the last of duplicate keys); the process's
// environment is no longer changed, so other goroutines and other
// children no longer see the variable, and a value it had before the
// function is no longer removed by the reset. It is offered only when the
// name and the value are constants that os.Setenv accepts; the function
// starts one command after the set, kept in a local variable assigned
// once and not handed elsewhere, whose Env and SysProcAttr it does not
// set; it reads the variable nowhere (os.Getenv, os.LookupEnv,
// os.Environ) and writes no other; the set and its resets are statements
// of their own; and the set comes before the start in the same block or
// an enclosing one.
//
// # Rule library-setenv
//
// library-setenv: os.Setenv in a library package, outside init
//
// It is a policy — libraries leave the environment to the program — more
// than a finding every maintainer would accept: the libraries that do it
// mostly mean to (a loader of .env files, an option documented to unset
// the variables a daemon was started with, a helper that tests call, a
// setting meant to be made early in main).
//
// A library that changes the environment changes it for every program
// that imports it, under all of that program's goroutines, including C
// code reading it with getenv. The rule reports os.Setenv, os.Unsetenv and
// os.Clearenv in a package that is not main, not in a command's tree (an
// import path with an element "cmd") and not test support (testing, a
// package named like httptest or testutil, or whose own files import
// testing), outside init functions and package-level initialisers, and not
// in a function given a testing.TB. A write whose variable's name is not a
// constant is the caller's choice, not the library's (a helper such as
// runtime/coord's SetEnv, a loader of a file of settings), and is not
// reported. A reset that undoes a set of the same function is not reported again.
// There is no fix.
//
//	// WRONG
//	func UseProxy(url string) {
//		os.Setenv("HTTPS_PROXY", url) // os.Setenv in a library changes the environment of every program that imports it, under all its goroutines: take the value as a parameter, or set it on the child's exec.Cmd.Env
//	}
//
//	// RIGHT
//	func NewClient(proxy *url.URL) *http.Client {
//		return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}}
//	}
package envflag
