package fleet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resilvet/resilvet/examples/vmfleet/fakecloud"
	"github.com/resilvet/resilvet/examples/vmfleet/fleet"
	"github.com/resilvet/resilvet/runtime/retry"
	"github.com/resilvet/resilvet/runtime/task"
)

const (
	herdClients = 200
	herdOutage  = time.Second
	herdLatency = 20 * time.Millisecond
)

// TestHerd is a measurement, not an assertion of numbers: herdClients
// logical creates start at once against a fake cloud on 127.0.0.1 whose every
// endpoint is down for herdOutage, each request taking herdLatency, and retry
// with vmfleet's own policy (fleet.RetryPolicy: 4 calls, Base 250ms) with
// jitter off and on. In the "fleet of processes" rows each create has a
// client of its own, as 200 vmfleet processes would: its own breakers and
// retry budget. In the "one process" rows the 200 creates share one client,
// its breakers and its budget. For each it reports the peak number of retries
// the server had in flight at once, the requests it saw per logical create
// (the retry amplification), the creates that failed and when the last one
// succeeded. Run it with
//
//	go test -run TestHerd -v ./fleet    # in examples/vmfleet
//
// The numbers depend on the machine's load (on a loaded 2-core machine,
// jitter once did not lower the peak), so the test asserts only bounds that
// the composition guarantees: no create makes more requests than the policy's
// MaxAttempts, and the 200 creates of one process, which share a breaker and a
// budget, cannot amplify: the budget refuses retries after 5 failures and the
// breaker opens after 6.
func TestHerd(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement taking ~10s of real time")
	}
	identity := func(d time.Duration) time.Duration { return d }
	var report strings.Builder
	fmt.Fprintf(&report, "\n%d creates, outage %v, %v per request, fleet.RetryPolicy()\n\n", herdClients, herdOutage, herdLatency)
	fmt.Fprintf(&report, "| clients | jitter | peak retries in flight | requests | amplification | failed creates | last success |\n|---|---|---|---|---|---|---|\n")
	for _, shared := range []bool{false, true} {
		for _, jitter := range []func(time.Duration) time.Duration{identity, nil} {
			p := fleet.RetryPolicy()
			p.Jitter = jitter
			r := runHerd(t, p, shared)
			clients, name := "200, one each (a fleet of processes)", "none"
			if shared {
				clients = "1, shared (one process)"
			}
			if jitter == nil {
				name = "full"
			}
			fmt.Fprintf(&report, "| %s | %s | %d | %d | %.2f | %d | %v |\n", clients, name, r.peak, r.requests,
				float64(r.requests)/herdClients, r.failed, r.lastSuccess.Round(time.Millisecond))
			if limit := herdClients * p.MaxAttempts; r.requests > limit {
				t.Errorf("%s, jitter %s: %d requests, more than MaxAttempts allows (%d)", clients, name, r.requests, limit)
			}
			if limit := herdClients + 5; shared && r.requests > limit {
				t.Errorf("%s, jitter %s: %d requests, more than the shared budget allows (%d)", clients, name, r.requests, limit)
			}
		}
	}
	t.Log(report.String())
}

type herdResult struct {
	peak, requests, failed int
	lastSuccess            time.Duration
}

func runHerd(t *testing.T, p retry.Policy, shared bool) herdResult {
	cloud := fakecloud.New()
	srv := httptest.NewServer(cloud)
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: herdClients}
	defer transport.CloseIdleConnections()
	tasks := new(task.Group)
	defer func() {
		if err := tasks.Shutdown(context.Background()); err != nil {
			t.Error(err)
		}
	}()

	clients := make([]*fleet.Client, herdClients)
	for i := range clients {
		if shared && i > 0 {
			clients[i] = clients[0]
			continue
		}
		var err error
		clients[i], err = fleet.Dial(context.Background(), fleet.ClientConfig{
			URL:    srv.URL,
			Name:   fmt.Sprintf("%s-%v-%v-%d", uniqueName(t), p.Jitter == nil, shared, i),
			Policy: p,
			HTTP:   &http.Client{Transport: transport, Timeout: 10 * time.Second},
			Tasks:  tasks,
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	// Warm: each client has a connection open, as a running process would.
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.List(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	cloud.SetFaults(fakecloud.Faults{Latency: herdLatency, Down: []string{"all"}})
	start := time.Now()
	recover := time.AfterFunc(herdOutage, func() { cloud.SetFaults(fakecloud.Faults{Latency: herdLatency}) })
	defer recover.Stop()
	var (
		mu sync.Mutex
		r  herdResult
	)
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Create(context.Background(), fmt.Sprintf("herd-%03d", i))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				r.failed++
			} else {
				r.lastSuccess = max(r.lastSuccess, time.Since(start))
			}
		}()
	}
	wg.Wait()
	st := cloud.Stats()
	r.peak, r.requests = st.PeakRetries, st.Requests["create"]
	return r
}
