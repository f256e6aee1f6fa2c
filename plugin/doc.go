// Package plugin is the golangci-lint v2 module plugin of resilvet.
//
// Importing it registers a linter named resilvet (register.Plugin), which
// runs the analyzers of resilvet.Suite. A golangci-lint binary that
// contains it is built with `golangci-lint custom` and the repository's
// .custom-gcl.yml, or offline with scripts/build-golangci.sh. Enable it in
// .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - resilvet
//	  settings:
//	    custom:
//	      resilvet:
//	        type: module
//	        description: async and resilience hazards
//	        settings:
//	          default: all          # or none: which analyzers run when not listed
//	          tests: false          # report in _test.go files, for every analyzer
//	          runtimefixes: false   # offer fixes that import the runtime module
//	          strict: false         # the strict profile, for every analyzer
//	          analyzers:
//	            fireforget:
//	              enabled: true     # unset: as default says
//	              rules: "+unjoined,+lost-error"
//	              tests: true       # overrides the top-level tests
//	              runtimefixes: true
//	              # options: {name: value}  # -NAME.<option>, for analyzers that declare options
//
// Every key is optional; without settings every analyzer runs with its
// default rules. The keys map onto the analyzers' flags, so they mean what
// the flags of the resilvet command mean: rules takes exactly the
// "+rule,-rule" form of -NAME.rules (+all and -all switch every rule, a bare
// rule means +rule), tests is -NAME.tests, runtimefixes is
// -NAME.runtimefixes, strict is -NAME.strict and each option is
// -NAME.<option>. golangci-lint lower-
// cases the keys of its configuration, so option names match regardless of
// case.
//
// With default: none only the analyzers with enabled: true run; an analyzer
// given other settings but not enabled is an error, since golangci-lint
// drops empty maps (fireforget: {}) from its configuration and listing alone
// cannot select anything. The ignore analyzer, which checks //resilvet:ignore
// directives, runs even with default: none unless it has enabled: false: a
// malformed directive suppresses nothing, and it is the one place that says
// so.
//
// An unknown key, analyzer, rule or option is an error that names it (and,
// for analyzers, rules and options, lists the valid ones): golangci-lint
// then stops before linting rather than run with a configuration the user
// did not mean.
//
// Findings appear under the single linter resilvet. golangci-lint prefixes
// each message with the analyzer's name and the plugin appends the rule's
// category, so a finding reads
//
//	server/run.go:21:2: fireforget: goroutine is never waited for: it can outlive shutdown; start it with task.Go, which task.Shutdown waits for (fireforget/untracked) (resilvet)
//
// and //nolint:resilvet silences every analyzer at once; prefer
// //resilvet:ignore NAME reason, which every driver honours and which can
// name a single analyzer or rule.
//
// golangci-lint's -fix applies every suggested fix of every issue. resilvet
// attaches at most one fix per diagnostic, but when two of its fixes in one
// file overlap golangci-lint drops all of resilvet's edits to that file and
// warns; a second run applies what is left. Fixes that import a runtime
// package are offered only where the package already depends on the runtime
// module or runtimefixes is set, and golangci-lint does not edit go.mod:
// with runtimefixes the module must require github.com/resilvet/resilvet/runtime
// already. The resilvet command's own -fix adds the requirement itself.
package plugin
