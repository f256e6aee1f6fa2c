module example.com/fixmod

go 1.22

replace github.com/resilvet/resilvet/runtime => RUNTIME_DIR
