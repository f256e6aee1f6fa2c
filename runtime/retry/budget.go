package retry

import "sync"

// A Budget limits the retries of every caller that shares it, in the manner
// of gRPC's retry throttling: a bucket of tokens that starts full; each
// failure that a retry might cure takes one token, each success puts back
// Ratio; while the tokens are at or below Threshold, retries are refused
// (first calls always go ahead). While a dependency is healthy the bucket
// stays full and costs nothing; during an outage it empties after a few
// failures and retries stop amplifying the load, until successes refill it.
//
// Unlike gRPC, which charges every failed call, Do charges only failures it
// would retry: a Permanent error, the caller's cancellation and an open
// breaker's refusal say nothing about whether the dependency is overloaded.
//
// Share one Budget per dependency, through Policy.Budget or, for a retry
// loop of one's own, the Success and Failure methods. The zero value is a
// full bucket of 10 tokens with a Ratio of 0.1 (a common gRPC
// retryThrottling setting) and a Threshold of 5: after 5 failures in a row
// with no successes, retries stop; 10 successes then buy back one failure's
// worth. Set the fields before first use; a Budget must not be copied after
// first use. Its methods are safe for concurrent use.
type Budget struct {
	// Tokens is the bucket's size, and where it starts. Zero or less
	// means 10.
	Tokens float64

	// Ratio is what a success puts back. Zero or less means 0.1.
	Ratio float64

	// Threshold is the level at or below which retries are refused. Zero
	// or less means half of Tokens.
	Threshold float64

	mu      sync.Mutex
	started bool
	milli   int64 // thousandths of a token: integer, so that ratios add up exactly, as gRPC does
}

// Success records a successful call. It does not block beyond a short lock.
func (b *Budget) Success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	size := b.start()
	b.milli = min(b.milli+thousandths(b.Ratio, 0.1), size)
}

// Failure records a failed call that a retry might cure, and reports whether
// the budget allows that retry. It does not block beyond a short lock.
func (b *Budget) Failure() (retry bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.start()
	b.milli = max(b.milli-1000, 0)
	threshold := thousandths(b.Threshold, 0)
	if threshold == 0 {
		threshold = thousandths(b.Tokens, 10) / 2
	}
	return b.milli > threshold
}

// start fills the bucket on first use and returns its size.
func (b *Budget) start() int64 {
	size := thousandths(b.Tokens, 10)
	if !b.started {
		b.started = true
		b.milli = size
	}
	return size
}

// thousandths converts a field to thousandths, or def if it is not positive.
func thousandths(v, def float64) int64 {
	if v <= 0 {
		v = def
	}
	return int64(v*1000 + 0.5)
}
