module example.com/untidy

go 1.22

// dep1 requires dep2, which this go.mod does not list: go list loads dep2
// as dep1's import, but refuses it named on the command line.
require example.com/dep1 v0.0.0

replace (
	example.com/dep1 => ./dep1
	example.com/dep2 => ./dep2
)
