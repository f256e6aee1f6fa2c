module example.com/hazards

go 1.22

require github.com/resilvet/resilvet/runtime v0.0.0

replace github.com/resilvet/resilvet/runtime => ../../runtime
