package runtimecmp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resilvet/resilvet/runtime/retry"
	"go.uber.org/goleak"
)

// TestHerd is a thundering-herd simulation, a measurement rather than an
// assertion: herdClients clients start at once against a fake HTTP server on
// 127.0.0.1 that answers 503 for its first herdOutage and 200 after it, each
// request taking herdService, and retry with retry.Do's default backoff
// (Base 100ms) capped at Max 1s, with no attempt limit. The rows differ only
// in the jitter. In the second scenario the recovered server also sheds load,
// answering 503 at once to requests beyond herdCapacity in flight, as a
// service that has just come back does. For each it reports the peak number
// of retries (requests after a client's first) the server had in flight at
// once and the peak that arrived within any 10ms, the total requests and
// their ratio to the clients (the retry amplification), the requests shed,
// and when the last client succeeded. Run it with
//
//	go test -run TestHerd -v ./bench/runtimecmp
//
// It asserts only what cannot be flaky: that every client succeeds (or, in
// the budget row, stops because the budget refused).
func TestHerd(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement taking ~15s of real time")
	}
	defer goleak.VerifyNone(t)
	identity := func(d time.Duration) time.Duration { return d }
	halfJitter := func(d time.Duration) time.Duration { return d/2 + retry.Jitter(d) } // backoff's default ±50%
	rows := []struct {
		name   string
		policy retry.Policy
	}{
		{"no jitter", retry.Policy{Jitter: identity}},
		{"±50% jitter (cenkalti/backoff's default)", retry.Policy{Jitter: halfJitter}},
		{"full jitter (retry.Do's default)", retry.Policy{}},
		{"full jitter + shared Budget{}", retry.Policy{Budget: new(retry.Budget)}},
	}
	var report strings.Builder
	for _, capacity := range []int64{0, herdCapacity} {
		if capacity == 0 {
			fmt.Fprintf(&report, "\n%d clients, outage %v, service time %v, no load shedding\n\n", herdClients, herdOutage, herdService)
		} else {
			fmt.Fprintf(&report, "\n%d clients, outage %v, service time %v, then shedding above %d in flight\n\n", herdClients, herdOutage, herdService, capacity)
		}
		fmt.Fprintf(&report, "| policy | peak retries in flight | peak retry arrivals / 10ms | requests | amplification | shed | succeeded | last success |\n|---|---|---|---|---|---|---|---|\n")
		for _, row := range rows {
			p := row.policy
			p.MaxAttempts, p.Max = -1, time.Second
			if capacity != 0 && p.Budget != nil {
				continue // the budget row shows its point in the first scenario
			}
			r := runHerd(t, p, capacity, p.Budget != nil)
			fmt.Fprintf(&report, "| %s | %d | %d | %d | %.2f | %d | %d | %v |\n", row.name, r.peakRetries, r.peakArrivals,
				r.requests, float64(r.requests)/herdClients, r.shed, r.succeeded, r.lastSuccess.Round(time.Millisecond))
		}
	}
	t.Log(report.String())
}

const (
	herdClients  = 200
	herdOutage   = time.Second
	herdService  = 20 * time.Millisecond
	herdCapacity = 50
	herdSlot     = 10 * time.Millisecond
)

type herdResult struct {
	peakRetries, peakArrivals int64
	requests, shed            int64
	succeeded                 int
	lastSuccess               time.Duration
}

// herdServer counts what it sees.
type herdServer struct {
	start     time.Time
	capacity  int64 // after the outage; 0 means no limit
	inFlight  atomic.Int64
	retries   atomic.Int64
	peakRetry atomic.Int64
	requests  atomic.Int64
	shed      atomic.Int64
	arrivals  [3000]atomic.Int64 // retries arrived per herdSlot, 30s
}

func raise(peak *atomic.Int64, v int64) {
	for old := peak.Load(); v > old && !peak.CompareAndSwap(old, v); old = peak.Load() {
	}
}

func (s *herdServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	since := time.Since(s.start)
	s.requests.Add(1)
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	if r.Header.Get("Attempt") != "1" {
		if i := int(since / herdSlot); i < len(s.arrivals) {
			s.arrivals[i].Add(1)
		}
		raise(&s.peakRetry, s.retries.Add(1))
		defer s.retries.Add(-1)
	}
	if since >= herdOutage && s.capacity > 0 && n > s.capacity {
		s.shed.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	time.Sleep(herdService)
	if since < herdOutage {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
}

func runHerd(t *testing.T, p retry.Policy, capacity int64, budgeted bool) herdResult {
	srv := &herdServer{capacity: capacity}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: herdClients}}
	defer client.CloseIdleConnections()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		succeeded int
		last      time.Duration
	)
	srv.start = time.Now()
	for c := 0; c < herdClients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			attempt := 0
			err := retry.Do(ctx, p, func(ctx context.Context) error {
				attempt++
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL, nil)
				if err != nil {
					return retry.Permanent(err)
				}
				req.Header.Set("Attempt", strconv.Itoa(attempt))
				resp, err := client.Do(req)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return errors.New(resp.Status)
				}
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				succeeded++
				last = max(last, time.Since(srv.start))
			case budgeted && strings.Contains(err.Error(), "retry budget exhausted"):
			default:
				t.Errorf("client gave up: %v", err)
			}
		}()
	}
	wg.Wait()
	if !budgeted && succeeded != herdClients {
		t.Errorf("%d of %d clients succeeded", succeeded, herdClients)
	}
	r := herdResult{
		peakRetries: srv.peakRetry.Load(),
		requests:    srv.requests.Load(),
		shed:        srv.shed.Load(),
		succeeded:   succeeded,
		lastSuccess: last,
	}
	for i := range srv.arrivals {
		r.peakArrivals = max(r.peakArrivals, srv.arrivals[i].Load())
	}
	return r
}
