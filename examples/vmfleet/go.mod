module github.com/resilvet/resilvet/examples/vmfleet

go 1.22

require (
	github.com/resilvet/resilvet/runtime v0.0.0-00010101000000-000000000000
	go.uber.org/goleak v1.3.0
)

replace github.com/resilvet/resilvet/runtime => ../../runtime
