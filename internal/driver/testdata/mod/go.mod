module example.com/mod

go 1.22

replace github.com/resilvet/resilvet/runtime => RUNTIME_DIR
