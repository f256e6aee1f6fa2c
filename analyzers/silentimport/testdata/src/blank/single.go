package blank

// Silent: the doc comment of an unparenthesised import says why.
import _ "expvar"
