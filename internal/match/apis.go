package match

import (
	"go/types"
	"slices"
	"strings"
)

// Paths of the runtime module and of its packages that the analyzers name.
// The analyzer module never requires the runtime module: it matches and
// imports the runtime by these strings.
const (
	RuntimePath = "github.com/resilvet/resilvet/runtime"
	TaskPath    = RuntimePath + "/task"
	ShieldPath  = RuntimePath + "/shield"
	GuardPath   = RuntimePath + "/guard"
	CancelPath  = RuntimePath + "/cancel"
	CoordPath   = RuntimePath + "/coord"
)

// An API names functions of one package (Recv "") or methods of one named
// type of it (Recv "T", through T or *T).
type API struct {
	Pkg   string // package path, compared without a vendor prefix
	Recv  string
	Names []string
}

// Has reports whether fn is one of a's functions or methods.
func (a API) Has(fn *types.Func) bool {
	if a.Recv == "" {
		return IsFunc(fn, a.Pkg, a.Names...)
	}
	return IsMethod(fn, a.Pkg, a.Recv, a.Names...)
}

// APIs is a union of APIs.
type APIs []API

// Has reports whether fn is in one of them.
func (s APIs) Has(fn *types.Func) bool {
	for _, a := range s {
		if a.Has(fn) {
			return true
		}
	}
	return false
}

// The named API sets that more than one analyzer knows, each written once.
var (
	// OnceDo runs its function once per Once, for every caller.
	OnceDo = API{"sync", "Once", []string{"Do"}}
	// OnceFuncs return a function that runs theirs once, for every later
	// caller.
	OnceFuncs = API{"sync", "", []string{"OnceFunc", "OnceValue", "OnceValues"}}

	// SingleflightDo and SingleflightDoChan share one call of their
	// function between the concurrent callers with the same key; DoChan
	// runs it after it returns.
	SingleflightDo     = singleflights("Do")
	SingleflightDoChan = singleflights("DoChan")

	// ErrgroupGo starts its function on a goroutine that Wait waits for.
	ErrgroupGo = API{"golang.org/x/sync/errgroup", "Group", []string{"Go", "TryGo"}}
	// WaitGroupGo starts its function on a goroutine that Wait waits for.
	WaitGroupGo = API{"sync", "WaitGroup", []string{"Go"}}

	// TaskGo and TaskGroupGo start their function as a task that
	// Shutdown waits for.
	TaskGo      = API{TaskPath, "", []string{"Go"}}
	TaskGroupGo = API{TaskPath, "Group", []string{"Go"}}

	// ConcGo starts its function on a goroutine of a sourcegraph/conc
	// group or pool that Wait waits for.
	ConcGo = APIs{
		{"github.com/sourcegraph/conc", "WaitGroup", []string{"Go"}},
		{"github.com/sourcegraph/conc/pool", "Pool", []string{"Go"}},
		{"github.com/sourcegraph/conc/pool", "ErrorPool", []string{"Go"}},
		{"github.com/sourcegraph/conc/pool", "ContextPool", []string{"Go"}},
		{"github.com/sourcegraph/conc/pool", "ResultPool", []string{"Go"}},
		{"github.com/sourcegraph/conc/pool", "ResultErrorPool", []string{"Go"}},
		{"github.com/sourcegraph/conc/pool", "ResultContextPool", []string{"Go"}},
	}
)

// singleflightPaths are the packages with a singleflight Group: the
// original, its groupcache ancestor, and the standard library's copy.
var singleflightPaths = []string{
	"golang.org/x/sync/singleflight",
	"github.com/golang/groupcache/singleflight",
	"internal/singleflight",
}

func singleflights(name string) APIs {
	var s APIs
	for _, p := range singleflightPaths {
		s = append(s, API{p, "Group", []string{name}})
	}
	return s
}

// ErrorType is the predeclared type error.
var ErrorType = types.Universe.Lookup("error").Type()

// IsError reports whether t is the predeclared type error.
func IsError(t types.Type) bool { return types.Identical(t, ErrorType) }

// loggers are packages whose functions and methods report something to a
// person.
var loggers = []string{
	"log", "testing",
	"github.com/sirupsen/logrus", "go.uber.org/zap", "github.com/rs/zerolog",
	"github.com/go-logr/logr", "k8s.io/klog", "k8s.io/klog/v2", "github.com/golang/glog",
	"github.com/hashicorp/go-hclog", "github.com/go-kit/log", "github.com/go-kit/kit/log",
	"github.com/charmbracelet/log",
}

// IsLog reports whether fn is a function or method of a logger — log,
// log/slog, testing, and the common logging libraries, or one of their
// subpackages (zapcore): calling it tells a person, and nothing else.
func IsLog(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	path := PkgPath(fn.Pkg())
	return slices.ContainsFunc(loggers, func(l string) bool { return path == l || strings.HasPrefix(path, l+"/") })
}
