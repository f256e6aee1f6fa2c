package guardplugin_test

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/resilvet/resilvet/runtime/guard/guardplugin"
)

// Open tells a binary that cannot load plugins from a plugin that failed to
// load. (No checked output: which branch runs depends on the platform.)
func ExampleOpen() {
	p, err := guardplugin.Open("/usr/lib/myapp/auth.so")
	switch {
	case errors.Is(err, guardplugin.ErrUnsupported):
		slog.Info("plugins unsupported by this build; using built-in auth")
		return
	case err != nil:
		// A plugin that is configured but does not load is a deployment
		// error: stop rather than run without it.
		panic(err)
	}
	authorize, err := guardplugin.Lookup[func(user string) error](p, "Authorize")
	if err != nil {
		panic(err) // names the symbol, and the wanted and found types if they differ
	}
	fmt.Println(authorize("gopher"))
}

// A plugin's variables are looked up as pointers.
func ExampleLookup() {
	p, err := guardplugin.Open("/usr/lib/myapp/config.so")
	if err != nil {
		fmt.Println(err)
		return
	}
	limit, err := guardplugin.Lookup[*int](p, "RequestLimit")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("limit", *limit)
}
