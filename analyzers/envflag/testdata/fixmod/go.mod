module example.com/fixmod

go 1.22

require github.com/resilvet/resilvet/runtime v0.0.0-00010101000000-000000000000

replace github.com/resilvet/resilvet/runtime => RUNTIME_DIR
