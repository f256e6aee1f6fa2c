module example.com/hazards

go 1.22

require (
	github.com/resilvet/resilvet/runtime v0.0.0
	github.com/sony/gobreaker/v2 v2.4.0
)

replace github.com/resilvet/resilvet/runtime => ../../runtime

// A stand-in with gobreaker's API: the hazards build with no network.
replace github.com/sony/gobreaker/v2 => ./third_party/gobreaker
