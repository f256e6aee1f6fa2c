// Command greeter is a plugin that guardplugin's tests build with
// -buildmode=plugin and open. It imports nothing, so that it links against
// the test binary whatever packages the test binary holds.
package main

// Greeting is a plugin variable: Lookup finds it as a *string.
var Greeting = "hello"

// Greet is a plugin function: Lookup finds it as a func(string) string.
func Greet(name string) string { return Greeting + ", " + name }

type voice struct{ word string }

func (v voice) String() string { return v.word }

// Voice is looked up as a *voice, which a test asks for as a fmt.Stringer.
var Voice = voice{word: "hi"}
