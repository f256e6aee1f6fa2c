package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
	"github.com/resilvet/resilvet/runtime/cancel"
	"github.com/resilvet/resilvet/runtime/retry"
	"github.com/resilvet/resilvet/runtime/shield"
	"github.com/resilvet/resilvet/runtime/task"
)

// endpoints are the cloud API's endpoints, one breaker each.
var endpoints = [...]string{"token", "create", "list", "delete"}

// A VM is a virtual machine of the fleet.
type VM struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	State   string    `json:"state"` // as the API last said: "provisioning", "running"
	Created time.Time `json:"created"`
	Seen    time.Time `json:"seen"` // when this manager last learnt the VM's state
}

// ClientConfig configures a Client.
type ClientConfig struct {
	URL string // the API's base URL

	// Name names the client's breakers in runtime/breaker's registry:
	// Name+".create" and so on; empty means "vmfleet". Clients with one Name
	// share their breakers, as they should when they call one API; they must
	// then have the same Breaker settings.
	Name string

	// Breaker configures each endpoint's breaker. Its IsSuccessful and
	// IsExcluded are replaced by the client's: an answer below 500 is the API
	// working, and a 429 or 401 says nothing about its health.
	Breaker breaker.Settings

	// Policy retries each call. If its Budget is nil, the client's calls
	// share one of the client's own.
	Policy retry.Policy

	HTTP  *http.Client // nil: a client with a 10s timeout per request
	Tasks *task.Group  // runs token refreshes; nil: runtime/task's default group
}

// RetryPolicy is the policy vmfleet retries its API calls with: four calls in
// all, full jitter, no budget yet (the Client adds one).
func RetryPolicy() retry.Policy {
	return retry.Policy{MaxAttempts: 4, Base: 250 * time.Millisecond, Max: 4 * time.Second}
}

// A Client calls the cloud API: through a breaker per endpoint, retried with
// a budget and jitter, with a bearer token that it renews as it expires.
type Client struct {
	url      string
	http     *http.Client
	policy   retry.Policy
	breakers map[string]*breaker.Breaker
	stats    map[string]*counters

	tok     atomic.Pointer[token]
	refresh shield.Group[string, *token]
}

type token struct {
	value string
	renew time.Time // a tenth of its lifetime before it expires
}

type counters struct{ calls, retries, failures, refused atomic.Int64 }

// CallStats count a Client's calls to one endpoint.
type CallStats struct {
	Calls    int64 `json:"calls"`    // logical calls: Create, List, Delete
	Retries  int64 `json:"retries"`  // requests after a call's first
	Failures int64 `json:"failures"` // calls that failed, not counting Refused and the caller's cancellation
	Refused  int64 `json:"refused"`  // requests the open breaker refused
}

// Dial returns a Client for the API at cfg.URL, once it has a token. It
// blocks until then, or until ctx is done.
func Dial(ctx context.Context, cfg ClientConfig) (*Client, error) {
	if cfg.Name == "" {
		cfg.Name = "vmfleet"
	}
	bs, err := endpointBreakers(cfg.Name, cfg.Breaker)
	if err != nil {
		return nil, err
	}
	c := &Client{url: cfg.URL, http: cfg.HTTP, policy: cfg.Policy, breakers: bs, stats: make(map[string]*counters)}
	if c.http == nil {
		c.http = &http.Client{Timeout: 10 * time.Second}
	}
	if c.policy.Budget == nil {
		c.policy.Budget = new(retry.Budget)
	}
	for _, ep := range endpoints {
		c.stats[ep] = new(counters)
	}
	// Every caller that finds the token stale joins one refresh, which no
	// single caller's cancellation can abort for the others.
	c.refresh.Name, c.refresh.Tasks, c.refresh.Timeout = cfg.Name+".token", cfg.Tasks, 10*time.Second
	if _, err := c.token(ctx); err != nil {
		return nil, fmt.Errorf("dial %s: %w", cfg.URL, err)
	}
	return c, nil
}

// endpointBreakers returns the registry's breakers of the API called name.
func endpointBreakers(name string, s breaker.Settings) (map[string]*breaker.Breaker, error) {
	s.IsSuccessful, s.IsExcluded = answered, throttled
	bs := make(map[string]*breaker.Breaker)
	for _, ep := range endpoints {
		b, err := breaker.Get(name+"."+ep, s)
		if err != nil {
			return nil, err
		}
		bs[ep] = b
	}
	return bs, nil
}

// Create creates a VM called name. Its retries carry one idempotency key, so
// a retry after a lost answer does not create a second VM.
func (c *Client) Create(ctx context.Context, name string) (VM, error) {
	var vm VM
	key := fmt.Sprintf("%s-%016x", name, rand.Uint64())
	err := c.do(ctx, request{endpoint: "create", method: http.MethodPost, path: "/v1/vms", key: key,
		in: map[string]string{"name": name}, out: &vm})
	return vm, err
}

// List returns every VM the API has.
func (c *Client) List(ctx context.Context) ([]VM, error) {
	var vms []VM
	err := c.do(ctx, request{endpoint: "list", method: http.MethodGet, path: "/v1/vms", out: &vms})
	return vms, err
}

// Delete deletes the VM with id; one that is already gone is not an error.
func (c *Client) Delete(ctx context.Context, id string) error {
	err := c.do(ctx, request{endpoint: "delete", method: http.MethodDelete, path: "/v1/vms/" + id})
	var e *apiError
	if errors.As(err, &e) && e.status == http.StatusNotFound {
		return nil
	}
	return err
}

// Stats returns the counts of the client's calls, by endpoint.
func (c *Client) Stats() map[string]CallStats {
	s := make(map[string]CallStats)
	for ep, n := range c.stats {
		s[ep] = CallStats{n.calls.Load(), n.retries.Load(), n.failures.Load(), n.refused.Load()}
	}
	return s
}

type request struct {
	endpoint, method, path, key string
	in, out                     any
}

// do makes one logical call: retries outside, so that an open breaker ends
// them; the breaker inside, around each request.
func (c *Client) do(ctx context.Context, rq request) error {
	n := c.stats[rq.endpoint]
	n.calls.Add(1)
	attempt := 0
	err := retry.Do(ctx, c.policy, func(ctx context.Context) error {
		attempt++
		if attempt > 1 {
			n.retries.Add(1)
		}
		tok, err := c.token(ctx) // outside the breaker: a token failure is not this endpoint's
		if err != nil {
			return err
		}
		err = c.breakers[rq.endpoint].Do(ctx, func(ctx context.Context) error {
			return c.send(ctx, rq, tok.value, attempt)
		})
		var e *apiError
		switch {
		case errors.Is(err, breaker.ErrOpen):
			n.refused.Add(1)
		case errors.As(err, &e) && e.status == http.StatusUnauthorized:
			c.tok.CompareAndSwap(tok, nil) // the next attempt gets a new token
		case errors.As(err, &e) && e.retryAfter > 0:
			// A Policy has no delay an error can ask for, so the wait the
			// server asked for is served here; Do's jittered backoff follows.
			if err := shield.Sleep(ctx, e.retryAfter); err != nil {
				return err
			}
		}
		return err
	})
	if err != nil && !cancel.Of(ctx, err) && !errors.Is(err, breaker.ErrOpen) {
		n.failures.Add(1) // the caller's giving up is not the API failing
	}
	return err
}

// token returns a token that is not about to expire, fetching one if need be.
func (c *Client) token(ctx context.Context) (*token, error) {
	if t := c.tok.Load(); t != nil && time.Now().Before(t.renew) {
		return t, nil
	}
	return c.refresh.Do(ctx, "token", func(ctx context.Context) (*token, error) {
		if t := c.tok.Load(); t != nil && time.Now().Before(t.renew) {
			return t, nil // a flight that ended as this one started renewed it
		}
		var body struct {
			Token   string
			Expires time.Time
		}
		n := c.stats["token"]
		n.calls.Add(1)
		err := c.breakers["token"].Do(ctx, func(ctx context.Context) error {
			return c.send(ctx, request{endpoint: "token", method: http.MethodPost, path: "/v1/token", out: &body}, "", 1)
		})
		if errors.Is(err, breaker.ErrOpen) {
			n.refused.Add(1)
		} else if err != nil {
			n.failures.Add(1) // no caller's cancellation reaches a flight
		}
		if err != nil {
			return nil, err
		}
		t := &token{value: body.Token, renew: time.Now().Add(time.Until(body.Expires) * 9 / 10)}
		c.tok.Store(t)
		return t, nil
	})
}

// send makes one request and decodes its answer into rq.out.
func (c *Client) send(ctx context.Context, rq request, tok string, attempt int) error {
	var body io.Reader
	if rq.in != nil {
		b, err := json.Marshal(rq.in)
		if err != nil {
			return retry.Permanent(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, c.url+rq.path, body)
	if err != nil {
		return retry.Permanent(err)
	}
	req.Header.Set("X-Attempt", strconv.Itoa(attempt))
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if rq.key != "" {
		req.Header.Set("Idempotency-Key", rq.key)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		_, _ = io.Copy(io.Discard, resp.Body) // so that the connection is reused
		e := &apiError{endpoint: rq.endpoint, status: resp.StatusCode}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			e.retryAfter = time.Duration(s) * time.Second
		}
		if answered(e) && !throttled(e) {
			return retry.Permanent(e) // the request was wrong: sending it again will not help
		}
		return e
	}
	if rq.out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(rq.out)
}

// An apiError is an answer of the API other than a success.
type apiError struct {
	endpoint   string
	status     int
	retryAfter time.Duration
}

func (e *apiError) Error() string {
	return fmt.Sprintf("cloud API %s: %d %s", e.endpoint, e.status, http.StatusText(e.status))
}

// answered reports whether err still shows the API working: it answered, if
// only to say that the request was wrong.
func answered(err error) bool {
	var e *apiError
	return err == nil || errors.As(err, &e) && e.status < 500
}

// throttled reports whether err is the API asking the caller to slow down
// (429) or to renew its token (401): neither says anything about its health.
func throttled(err error) bool {
	var e *apiError
	return errors.As(err, &e) && (e.status == http.StatusTooManyRequests || e.status == http.StatusUnauthorized)
}
