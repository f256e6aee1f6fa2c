package a

// A directive ends its line, so the expectations stand on the line above
// (analysistest's "want +1").

//resilvet:ignore demo the reason
var ok1 int // silent: well formed

//resilvet:ignore demo/alpha,ignore/unused two names, one a rule
var ok2 int // silent: well formed

// want +1 `directive gives no reason`
//resilvet:ignore demo
var noReason int

// want +1 `directive names no analyzer`
//resilvet:ignore
var noName int

// want +1 `directive names unknown analyzer "nosuch" \(known: demo, ignore\)`
//resilvet:ignore nosuch the reason
var unknown int

// want +1 `directive names unknown rule "gamma" of demo \(rules: alpha\)`
//resilvet:ignore demo/gamma the reason
var unknownRule int

// want +1 `a directive is written //resilvet:ignore with no space after //`
// resilvet:ignore demo the reason
var spaced int

//resilvet:ignored demo not a directive of ours
var other int // silent: another word
