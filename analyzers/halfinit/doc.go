// Package halfinit defines an Analyzer that reports singletons that can
// be seen half-made, or whose failed initialisation is kept for ever.
//
// # Analyzer halfinit
//
// halfinit: report lazy singletons initialised without a lock, published before they are ready, or whose failure is cached for ever
//
// TODO.
//
// # Rule racy-lazy
//
// racy-lazy: lazy initialisation of shared state with no lock, Once or atomic
//
// TODO.
//
// # Rule once-error
//
// once-error: a sync.Once or sync.OnceValues whose initialisation can fail for a transient reason
//
// TODO.
//
// # Rule early-publish
//
// early-publish: shared state published before its initialisation finishes, or read outside the lock that guards it
//
// TODO.
package halfinit
