module github.com/resilvet/resilvet/bench/runtimecmp

go 1.26.0

require (
	github.com/cenkalti/backoff/v5 v5.0.3
	github.com/resilvet/resilvet/runtime v0.0.0-00010101000000-000000000000
	github.com/sony/gobreaker/v2 v2.4.0
	go.uber.org/goleak v1.3.0
	golang.org/x/sync v0.24.0
)

replace github.com/resilvet/resilvet/runtime => ../../runtime
