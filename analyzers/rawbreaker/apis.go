package rawbreaker

import (
	"go/types"

	"github.com/resilvet/resilvet/internal/match"
)

// A library is a circuit-breaker package: the functions that make one of
// its breakers, and those that use a breaker the library keeps by name.
type library struct {
	path string
	// ctors make a breaker that lives as long as the value they return.
	ctors []string
	// shared make or use a breaker shared by name (hystrix's commands,
	// the runtime's registry), or through a store (gobreaker's
	// distributed breaker): foreign reports them, per-call does not.
	shared []string
}

// libraries are the breaker packages that foreign reports outside the
// canonical ones. The runtime's own breaker package is one of them, for a
// team whose canonical package is another.
var libraries = []library{
	{path: "github.com/sony/gobreaker", ctors: []string{"NewCircuitBreaker", "NewTwoStepCircuitBreaker"}},
	{path: "github.com/sony/gobreaker/v2", ctors: []string{"NewCircuitBreaker", "NewTwoStepCircuitBreaker"}, shared: []string{"NewDistributedCircuitBreaker"}},
	{path: "github.com/afex/hystrix-go/hystrix", shared: []string{"ConfigureCommand", "Configure", "Do", "DoC", "Go", "GoC"}},
	{path: "github.com/rubyist/circuitbreaker", ctors: []string{"NewBreaker", "NewBreakerWithOptions", "NewConsecutiveBreaker", "NewRateBreaker", "NewThresholdBreaker", "NewHTTPClient", "NewHostBasedHTTPClient"}},
	{path: "github.com/mercari/go-circuitbreaker", ctors: []string{"New"}},
	{path: "github.com/eapache/go-resiliency/breaker", ctors: []string{"New"}},
	{path: failsafeCB, ctors: []string{"NewWithDefaults", "NewBuilder"}},
	{path: breakerPath, shared: []string{"Get"}},
}

const (
	failsafePath = "github.com/failsafe-go/failsafe-go"
	failsafeCB   = failsafePath + "/circuitbreaker"
	gobreakerV1  = "github.com/sony/gobreaker"
	gobreakerV2  = "github.com/sony/gobreaker/v2"
)

// libraryPaths are the import paths of libraries, for fast paths.
var libraryPaths = func() []string {
	var paths []string
	for _, l := range libraries {
		paths = append(paths, l.path)
	}
	return paths
}()

// libraryCall returns the library whose breaker fn makes or uses, and
// whether fn makes one that lives only as long as its result.
func libraryCall(fn *types.Func) (lib *library, ctor bool) {
	if fn == nil || fn.Pkg() == nil {
		return nil, false
	}
	path := match.PkgPath(fn.Pkg())
	for i := range libraries {
		l := &libraries[i]
		if l.path != path {
			continue // another library
		}
		switch {
		case match.IsFunc(fn, path, l.ctors...):
			return l, true
		case match.IsFunc(fn, path, l.shared...):
			return l, false
		}
	}
	return nil, false
}

// isLibraryPkg reports whether path is a breaker library's own package:
// it defines breakers rather than rolling its own.
func isLibraryPkg(path string) bool {
	return under(path, libraryPaths...)
}
