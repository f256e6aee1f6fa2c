module example.com/dep1

go 1.22

require example.com/dep2 v0.0.0
