package fix_test

// placeCases check where AddImport puts a new import.
var placeCases = []addCase{
	{
		name: "no imports",
		srcs: []string{`// Package p is a test.
package p // trailing

// f does things.
func f() { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `// Package p is a test.
package p // trailing

import "example.com/task"

// f does things.
func f() { var _ any = task.Go }
`,
	},
	{
		name: "no imports, no doc",
		srcs: []string{`package p

var _ any = /*@*/nil
`},
		path: "time", pkg: "time", mem: "Now",
		wantPrefix: "time.", wantOK: true,
		want: `package p

import "time"

var _ any = time.Now
`,
	},
	{
		name: "single imports",
		srcs: []string{`package p

import "fmt"
import "os" // trailing

func f() { fmt.Println(os.Args); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

import "fmt"
import "os" // trailing
import "example.com/task"

func f() { fmt.Println(os.Args); var _ any = task.Go }
`,
	},
	{
		name: "one single import becomes a block",
		srcs: []string{`package p

// Imports.
import "os" // for Args

func f() { _ = os.Args; var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

// Imports.
import (
	"os" // for Args

	"example.com/task"
)

func f() { _ = os.Args; var _ any = task.Go }
`,
	},
	{
		name: "one single named import, std added first",
		srcs: []string{`package p

import l "example.com/lib"

func f() { _ = l.V; var _ any = /*@*/nil }
`},
		path: "time", pkg: "time", mem: "Now",
		wantPrefix: "time.", wantOK: true,
		want: `package p

import (
	"time"

	l "example.com/lib"
)

func f() { _ = l.V; var _ any = time.Now }
`,
	},
	{
		name: "one single import, sorted after the new one",
		srcs: []string{`package p

import "time"

func f() { _ = time.Now; var _ any = /*@*/nil }
`},
		path: "context", pkg: "context", mem: "Background",
		wantPrefix: "context.", wantOK: true,
		want: `package p

import (
	"context"
	"time"
)

func f() { _ = time.Now; var _ any = context.Background }
`,
	},
	{
		name: "one single import with a block comment keeps its declaration",
		srcs: []string{`package p

import "os" /* for Args */

func f() { _ = os.Args; var _ any = /*@*/nil }
`},
		path: "time", pkg: "time", mem: "Now",
		wantPrefix: "time.", wantOK: true,
		want: `package p

import "os" /* for Args */
import "time"

func f() { _ = os.Args; var _ any = time.Now }
`,
	},
	{
		name: "std into std block, sorted",
		srcs: []string{`package p

import (
	"fmt"
	"sync"

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = /*@*/nil }
`},
		path: "os", pkg: "os", mem: "Exit",
		wantPrefix: "os.", wantOK: true,
		want: `package p

import (
	"fmt"
	"os"
	"sync"

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = os.Exit }
`,
	},
	{
		name: "std first in its block, before a doc comment",
		srcs: []string{`package p

import (
	// fmt prints.
	"fmt"
	"sync" // locks
)

func f() { fmt.Println(sync.Mutex{}); var _ any = /*@*/nil }
`},
		path: "errors", pkg: "errors", mem: "New",
		wantPrefix: "errors.", wantOK: true,
		want: `package p

import (
	"errors"
	// fmt prints.
	"fmt"
	"sync" // locks
)

func f() { fmt.Println(sync.Mutex{}); var _ any = errors.New }
`,
	},
	{
		name: "std last in its block, after a line comment",
		srcs: []string{`package p

import (
	"fmt"
	"sync" // locks

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = /*@*/nil }
`},
		path: "time", pkg: "time", mem: "Now",
		wantPrefix: "time.", wantOK: true,
		want: `package p

import (
	"fmt"
	"sync" // locks
	"time"

	"example.com/lib"
)

func f() { fmt.Println(lib.V, sync.Mutex{}); var _ any = time.Now }
`,
	},
	{
		name: "non-std next to its closest relative",
		srcs: []string{`package p

import (
	"fmt"

	"github.com/zzz/aaa"

	"github.com/resilvet/resilvet/x"
	"github.com/resilvet/resilvet/y"
)

func f() { fmt.Println(aaa.V, x.V, y.V); var _ any = /*@*/nil }
`},
		path: "github.com/resilvet/resilvet/rt/z", pkg: "z", mem: "Go",
		wantPrefix: "z.", wantOK: true,
		want: `package p

import (
	"fmt"

	"github.com/zzz/aaa"

	"github.com/resilvet/resilvet/rt/z"
	"github.com/resilvet/resilvet/x"
	"github.com/resilvet/resilvet/y"
)

func f() { fmt.Println(aaa.V, x.V, y.V); var _ any = z.Go }
`,
	},
	{
		name: "non-std into a std-only group",
		srcs: []string{`package p

import (
	"fmt"
	"os"
)

func f() { fmt.Println(os.Args); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

import (
	"fmt"
	"os"

	"example.com/task"
)

func f() { fmt.Println(os.Args); var _ any = task.Go }
`,
	},
	{
		name: "std into a non-std-only group",
		srcs: []string{`package p

import (
	"example.com/lib"
)

func f() { _ = lib.V; var _ any = /*@*/nil }
`},
		path: "context", pkg: "context", mem: "Background",
		wantPrefix: "context.", wantOK: true,
		want: `package p

import (
	"context"

	"example.com/lib"
)

func f() { _ = lib.V; var _ any = context.Background }
`,
	},
}
