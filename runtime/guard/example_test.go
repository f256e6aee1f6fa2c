package guard_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/resilvet/resilvet/runtime/guard"
)

// Must wraps a loader in place, in main or init.
func ExampleMust() {
	loc := guard.Must(time.LoadLocation("UTC"))
	fmt.Println(loc)
	// Output: UTC
}

// A failed load stops start-up with the loader's own error, which names the
// dependency.
func ExampleMust_failure() {
	defer func() { fmt.Println(recover()) }()
	guard.Must(time.LoadLocation("Mars/Olympus_Mons"))
	// Output: guard: required dependency failed to load: unknown time zone Mars/Olympus_Mons
}

// Optional lets the program run on without a dependency, and says so once.
//
// This example has no checked output: Optional warns once per name for the
// life of the process, so a second run of the example in the same test binary
// (go test -count=2) would log no warning. The first run prints
//
//	spellcheck off
//	spellcheck off
//	spellcheck off
//
// and, with the default slog logger, logs one line to standard error:
//
//	2009/11/10 23:00:00 WARN guard: optional dependency unavailable name="spellcheck dictionary" error="open /nonexistent/spellcheck.dict: no such file or directory"
func ExampleOptional() {
	for i := 0; i < 3; i++ {
		_, err := os.Open("/nonexistent/spellcheck.dict")
		if guard.Optional("spellcheck dictionary", err) {
			fmt.Println("spellcheck on")
		} else {
			fmt.Println("spellcheck off")
		}
	}
}

// SQLDriver names the import that registers a well-known driver.
func ExampleSQLDriver() {
	err := guard.SQLDriver("postgres")
	var missing *guard.MissingDriverError
	if errors.As(err, &missing) {
		fmt.Printf("driver %s missing: import _ %q\n", missing.Name, missing.Import)
	}
	// Output: driver postgres missing: import _ "github.com/lib/pq"
}
