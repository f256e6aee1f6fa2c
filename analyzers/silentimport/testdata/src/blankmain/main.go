package main

// Silent: package main is where blank imports belong.
import _ "net/http/pprof"

func main() {}
