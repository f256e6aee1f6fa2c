// Package recall measures resilvet's recall on testdata/hazards, a module
// made of the post-mortem's hazard shapes: its test runs every analyzer of
// resilvet.Suite with every rule on over the module and compares the
// findings, rule by rule and line by line, with testdata/hazards/expected.txt.
//
//	go test ./bench/recall                 # check
//	go test ./bench/recall -recall.doc     # also write docs/precision.md, "## Recall"
//
// It has no non-test code.
package recall
