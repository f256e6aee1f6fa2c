// Package fakecloud is a simulated cloud VM API served over HTTP, whose
// faults can be changed while it runs: added latency, a rate of errors, rate
// limiting (429 with Retry-After) and outages of chosen endpoints. vmfleet
// starts one on 127.0.0.1 when it is given no API to manage, and its tests use
// one to stage the outages the runtime is for.
//
// The API, with the endpoint name each route counts under:
//
//	POST   /v1/token     → {"token", "expires"}                  token
//	POST   /v1/vms       {"name"} → 201 VM (Idempotency-Key)      create
//	GET    /v1/vms       → [VM]                                   list
//	DELETE /v1/vms/{id}  → 204, or 404                            delete
//
// Every route but token needs "Authorization: Bearer <token>" with a token
// that has not expired, or is answered 401. A client may send "X-Attempt: n"
// (1 for a first try); requests with n > 1 are counted as retries in Stats.
//
// The admin routes, never faulted: PUT
// /admin/faults?latency=50ms&errors=0.1&rate=20&down=create,list sets the
// faults (an absent parameter clears that fault); DELETE /admin/vms/{id} makes
// the cloud lose a VM, as a host failure would.
package fakecloud

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/resilvet/resilvet/runtime/shield"
)

// Faults are the faults a Server injects into API requests, in this order:
// latency, outage, rate limiting, errors.
type Faults struct {
	Latency   time.Duration // added to every API request
	Down      []string      // endpoints answering 503 at once after Latency; "all" is every one
	Rate      float64       // requests admitted per second, in bursts of up to a second's worth; beyond, 429. Zero: no limit
	ErrorRate float64       // fraction of requests answered 500
}

// A VM is a virtual machine, as the API shows it.
type VM struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	State   string    `json:"state"` // "provisioning", then "running" after the server's BootTime
	Created time.Time `json:"created"`
}

// Stats are what a Server has seen since it was made.
type Stats struct {
	Requests    map[string]int // API requests by endpoint, faulted ones included
	Faulted     map[string]int // of those, the ones a fault answered (429, 500, 503)
	PeakRetries int            // most requests with X-Attempt above 1 in flight at once
}

// A Server is the fake cloud API, an http.Handler. Make it with New.
type Server struct {
	// BootTime is how long a new VM provisions before it runs, and TokenTTL
	// how long a token is valid. Set them before serving.
	BootTime, TokenTTL time.Duration

	mux http.ServeMux

	mu       sync.Mutex
	faults   Faults
	bucket   float64 // the rate limiter's tokens, as of refilled
	refilled time.Time
	vms      map[string]VM     // by ID
	keys     map[string]string // idempotency key → VM ID
	tokens   map[string]time.Time
	lastID   int
	stats    Stats
	retrying int
}

// New returns a Server with no faults, a BootTime of 2s and a TokenTTL of 10m.
func New() *Server {
	s := &Server{
		BootTime: 2 * time.Second,
		TokenTTL: 10 * time.Minute,
		vms:      make(map[string]VM),
		keys:     make(map[string]string),
		tokens:   make(map[string]time.Time),
		stats:    Stats{Requests: make(map[string]int), Faulted: make(map[string]int)},
	}
	s.mux.HandleFunc("POST /v1/token", s.api("token", s.token))
	s.mux.HandleFunc("POST /v1/vms", s.api("create", s.create))
	s.mux.HandleFunc("GET /v1/vms", s.api("list", s.list))
	s.mux.HandleFunc("DELETE /v1/vms/{id}", s.api("delete", s.delete))
	s.mux.HandleFunc("PUT /admin/faults", s.putFaults)
	s.mux.HandleFunc("DELETE /admin/vms/{id}", s.delete)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFaults replaces the faults injected from now on.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.bucket, s.refilled = f.Rate, time.Now() // a new limit starts with a full burst
}

// Stats returns a copy of the server's counts.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Requests, st.Faulted = maps.Clone(st.Requests), maps.Clone(st.Faulted)
	return st
}

// VMs returns the VMs the cloud has, in the order they were created.
func (s *Server) VMs() []VM {
	s.mu.Lock()
	defer s.mu.Unlock()
	vms := make([]VM, 0, len(s.vms))
	for _, vm := range s.vms {
		vms = append(vms, s.show(vm))
	}
	slices.SortFunc(vms, func(a, b VM) int { return strings.Compare(a.ID, b.ID) })
	return vms
}

// show sets vm's state from its age; s.mu is held.
func (s *Server) show(vm VM) VM {
	vm.State = "running"
	if time.Since(vm.Created) < s.BootTime {
		vm.State = "provisioning"
	}
	return vm
}

// api wraps the handler of one endpoint with the counting, the faults and the
// token check every API request goes through.
func (s *Server) api(endpoint string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		attempt, _ := strconv.Atoi(r.Header.Get("X-Attempt"))
		s.mu.Lock()
		s.stats.Requests[endpoint]++
		if attempt > 1 {
			s.retrying++
			s.stats.PeakRetries = max(s.stats.PeakRetries, s.retrying)
		}
		latency := s.faults.Latency
		s.mu.Unlock()
		if attempt > 1 {
			defer func() {
				s.mu.Lock()
				s.retrying--
				s.mu.Unlock()
			}()
		}

		if shield.Sleep(r.Context(), latency) != nil {
			return // the client has gone
		}
		if code, after := s.fault(endpoint); code != 0 {
			if after > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(after))
			}
			http.Error(w, http.StatusText(code), code)
			return
		}
		if endpoint != "token" && !s.authorized(r) {
			http.Error(w, "token missing or expired", http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// fault returns the status code a fault answers the request with, or 0, and
// for a 429 the seconds to send in Retry-After.
func (s *Server) fault(endpoint string) (code, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	switch {
	case slices.Contains(f.Down, endpoint) || slices.Contains(f.Down, "all"):
		code = http.StatusServiceUnavailable
	case f.Rate > 0 && !s.admit():
		code = http.StatusTooManyRequests
		retryAfter = int(math.Ceil((1 - s.bucket) / f.Rate)) // whole seconds, as the header carries
	case f.ErrorRate > 0 && rand.Float64() < f.ErrorRate:
		code = http.StatusInternalServerError
	}
	if code != 0 {
		s.stats.Faulted[endpoint]++
	}
	return code, retryAfter
}

// admit takes a token from the rate limiter's bucket if it has one; s.mu is held.
func (s *Server) admit() bool {
	now := time.Now()
	s.bucket = min(s.faults.Rate, s.bucket+now.Sub(s.refilled).Seconds()*s.faults.Rate)
	s.refilled = now
	if s.bucket < 1 {
		return false
	}
	s.bucket--
	return true
}

func (s *Server) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	expires, known := s.tokens[tok]
	return ok && known && time.Now().Before(expires)
}

func (s *Server) token(w http.ResponseWriter, _ *http.Request) {
	tok := fmt.Sprintf("tok-%016x", rand.Uint64())
	s.mu.Lock()
	expires := time.Now().Add(s.TokenTTL)
	s.tokens[tok] = expires
	s.mu.Unlock()
	reply(w, http.StatusOK, map[string]any{"token": tok, "expires": expires})
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var req struct{ Name string }
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Name == "" {
		http.Error(w, "body must be {\"name\": ...}", http.StatusBadRequest)
		return
	}
	vm, created := s.add(req.Name, r.Header.Get("Idempotency-Key"))
	code := http.StatusOK // a retry of a create that succeeded
	if created {
		code = http.StatusCreated
	}
	reply(w, code, vm)
}

// add makes a VM called name, unless key is one an earlier create sent.
func (s *Server) add(name, key string) (vm VM, created bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if vm, ok := s.vms[s.keys[key]]; ok && key != "" {
		return s.show(vm), false
	}
	s.lastID++
	vm = VM{ID: fmt.Sprintf("i-%06d", s.lastID), Name: name, Created: time.Now()}
	s.vms[vm.ID] = vm
	if key != "" {
		s.keys[key] = vm.ID
	}
	return s.show(vm), true
}

func (s *Server) list(w http.ResponseWriter, _ *http.Request) {
	reply(w, http.StatusOK, s.VMs())
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	if !s.remove(r.PathValue("id")) {
		http.Error(w, "no such VM", http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) remove(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.vms[id]
	delete(s.vms, id)
	return ok
}

func (s *Server) putFaults(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f Faults
	var errs []error
	if v := q.Get("latency"); v != "" {
		d, err := time.ParseDuration(v)
		f.Latency, errs = d, append(errs, err)
	}
	if v := q.Get("rate"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		f.Rate, errs = n, append(errs, err)
	}
	if v := q.Get("errors"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		f.ErrorRate, errs = n, append(errs, err)
	}
	if v := q.Get("down"); v != "" {
		f.Down = strings.Split(v, ",")
	}
	for _, err := range errs {
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
	}
	s.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
}

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // the client may have gone; nothing to do about it here
}
