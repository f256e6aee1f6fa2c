module example.com/fixmod

go 1.22

require github.com/sony/gobreaker/v2 v2.4.0

replace github.com/sony/gobreaker/v2 => ./third_party/gobreaker

replace github.com/resilvet/resilvet/runtime => RUNTIME_DIR
