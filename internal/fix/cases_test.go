package fix_test

// addCases check which name AddImport uses, and when it gives up.
var addCases = []addCase{
	{
		name: "reuse plain import",
		srcs: []string{`package p

import "example.com/task"

func f() { task.Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true, wantNoEdits: true,
	},
	{
		name: "reuse renamed import",
		srcs: []string{`package p

import tk "example.com/task"

func f() { tk.Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "tk.", wantOK: true, wantNoEdits: true,
	},
	{
		name: "reuse dot import",
		srcs: []string{`package p

import . "example.com/task"

func f() { Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "", wantOK: true, wantNoEdits: true,
	},
	{
		name: "dot import whose member is shadowed",
		srcs: []string{`package p

import . "example.com/task"

func f() {
	Go()
	Go := 1
	_ = Go
	var _ any = /*@*/nil
}
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantOK: false,
	},
	{
		name: "import shadowed at pos",
		srcs: []string{`package p

import "example.com/task"

func f() {
	task.Go()
	task := 1
	_ = task
	var _ any = /*@*/nil
}
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantOK: false,
	},
	{
		name: "renamed import shadowed, plain one visible",
		srcs: []string{`package p

import (
	"example.com/task"
	tk "example.com/task"
)

func f(tk int) { task.Go(); var _ any = /*@*/nil }

func g() { tk.Go() }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true, wantNoEdits: true,
	},
	{
		name: "blank import present",
		srcs: []string{`package p

import (
	"fmt"

	_ "example.com/task"
)

func f() { fmt.Println(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
		want: `package p

import (
	"fmt"

	"example.com/task"
	_ "example.com/task"
)

func f() { fmt.Println(); var _ any = task.Go }
`,
	},
	{
		name: "name taken by a local at pos",
		srcs: []string{`package p

import "fmt"

func f(task int) { fmt.Println(task); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task2.", wantOK: true,
		want: `package p

import (
	"fmt"

	task2 "example.com/task"
)

func f(task int) { fmt.Println(task); var _ any = task2.Go }
`,
	},
	{
		name: "name taken by an import of another path",
		srcs: []string{`package p

import (
	"example.com/other/task"
)

func f() { task.Go(); var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task2.", wantOK: true,
		want: `package p

import (
	"example.com/other/task"
	task2 "example.com/task"
)

func f() { task.Go(); var _ any = task2.Go }
`,
	},
	{
		name: "name taken at package scope in another file, task2 too",
		srcs: []string{`package p

func f() { var _ any = /*@*/nil }
`, `package p

var task, task2 int
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task3.", wantOK: true,
		want: `package p

import task3 "example.com/task"

func f() { var _ any = task3.Go }
`,
	},
	{
		name: "another file's import does not count",
		srcs: []string{`package p

func f() { var _ any = /*@*/nil }
`, `package p

import "example.com/task"

var _ = task.Go
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
	},
	{
		name: "a local declared after pos does not count",
		srcs: []string{`package p

func f() {
	var _ any = /*@*/nil
	task := 1
	_ = task
}
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task.", wantOK: true,
	},
	{
		name: "name taken by a type parameter",
		srcs: []string{`package p

func f[task any]() { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "task2.", wantOK: true,
	},
	{
		name: "predeclared name",
		srcs: []string{`package p

func f() { var _ any = /*@*/nil }
`},
		path: "example.com/new", pkg: "new", mem: "Go",
		wantPrefix: "new2.", wantOK: true,
		want: `package p

import new2 "example.com/new"

func f() { var _ any = new2.Go }
`,
	},
	{
		name: "vendored package: the import path as written counts",
		srcs: []string{`package p

import "golang.org/x/sync/errgroup"

var _ errgroup.Group
var _ any = /*@*/nil
`},
		path: "golang.org/x/sync/errgroup", pkg: "errgroup", mem: "WithContext",
		wantPrefix: "errgroup.", wantOK: true, wantNoEdits: true,
	},
}

// selfCases refer to a member of the package being fixed.
var selfCases = []addCase{
	{
		name: "own package",
		srcs: []string{`package task

func Go() {}

func f() { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantPrefix: "", wantOK: true, wantNoEdits: true,
	},
	{
		name: "own package, member shadowed",
		srcs: []string{`package task

func Go() {}

func f(Go int) { var _ any = /*@*/nil }
`},
		path: "example.com/task", pkg: "task", mem: "Go",
		wantOK: false,
	},
}
