// Package hazards is a small service made of the shapes of the post-mortem
// that resilvet was written for (see DESIGN.md): fire-and-forget tasks,
// waits that ignore cancellation, shared initialisation that runs on one
// caller's context, optional dependencies whose absence goes unnoticed,
// circuit breakers that share no state, retries that back off in
// lockstep, and coordination flags cleared by hand on some exit paths only.
// Each package holds one family; expected.txt lists every finding resilvet
// reports on it with every rule on, and bench/recall checks it.
//
// Lines marked "silent" are the fixed shapes of the same code, which must
// not be reported.
package hazards
