package main

import "strings"

type config struct{ name string }

var cfg *config

func load() *config { return &config{name: strings.ToUpper("x")} } // want load:"non-nil"

// Silent: called only from main, before its first go statement.
func settle() {
	if cfg == nil {
		cfg = load()
	}
}

var worker *config

// Reported: main runs it after starting a goroutine.
func work() {
	if worker == nil { // want `lazy initialisation of worker is not synchronised`
		worker = load()
	}
}

func main() {
	settle()
	if cfg.name == "" {
		cfg = load()
	}
	go work()
	work()
}
