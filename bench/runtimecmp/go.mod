module github.com/resilvet/resilvet/bench/runtimecmp

go 1.26.0

require (
	github.com/resilvet/resilvet/runtime v0.0.0-00010101000000-000000000000
	golang.org/x/sync v0.24.0
)

replace github.com/resilvet/resilvet/runtime => ../../runtime
