//go:build go1.25

//go:debug asynctimerchan=0

package fakecloud_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/resilvet/resilvet/examples/vmfleet/fakecloud"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// do sends one request to s and returns the recorded answer.
func do(s *fakecloud.Server, method, path, token, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func token(t *testing.T, s *fakecloud.Server) string {
	t.Helper()
	w := do(s, "POST", "/v1/token", "", "")
	var body struct{ Token string }
	if err := json.NewDecoder(w.Body).Decode(&body); err != nil || w.Code != http.StatusOK {
		t.Fatalf("token: %d %v", w.Code, err)
	}
	return body.Token
}

func TestTokensExpire(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := fakecloud.New()
		s.TokenTTL = time.Minute
		tok := token(t, s)
		if w := do(s, "GET", "/v1/vms", "", ""); w.Code != http.StatusUnauthorized {
			t.Errorf("no token: %d, want 401", w.Code)
		}
		if w := do(s, "GET", "/v1/vms", tok, ""); w.Code != http.StatusOK {
			t.Errorf("fresh token: %d, want 200", w.Code)
		}
		time.Sleep(time.Minute)
		if w := do(s, "GET", "/v1/vms", tok, ""); w.Code != http.StatusUnauthorized {
			t.Errorf("expired token: %d, want 401", w.Code)
		}
	})
}

func TestCreateIsIdempotentAndBoots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := fakecloud.New()
		tok := token(t, s)
		first := do(s, "POST", "/v1/vms", tok, `{"name":"a"}`, "Idempotency-Key", "k1")
		again := do(s, "POST", "/v1/vms", tok, `{"name":"a"}`, "Idempotency-Key", "k1")
		other := do(s, "POST", "/v1/vms", tok, `{"name":"a"}`, "Idempotency-Key", "k2")
		if first.Code != http.StatusCreated || again.Code != http.StatusOK || other.Code != http.StatusCreated {
			t.Fatalf("creates: %d %d %d, want 201 200 201", first.Code, again.Code, other.Code)
		}
		vms := s.VMs()
		if len(vms) != 2 || vms[0].State != "provisioning" {
			t.Fatalf("VMs %+v, want 2 provisioning", vms)
		}
		time.Sleep(s.BootTime)
		if vms := s.VMs(); vms[0].State != "running" {
			t.Errorf("after BootTime: %+v", vms[0])
		}
		if w := do(s, "DELETE", "/v1/vms/"+vms[0].ID, tok, ""); w.Code != http.StatusNoContent {
			t.Errorf("delete: %d", w.Code)
		}
		if w := do(s, "DELETE", "/v1/vms/"+vms[0].ID, tok, ""); w.Code != http.StatusNotFound {
			t.Errorf("delete again: %d, want 404", w.Code)
		}
	})
}

func TestFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := fakecloud.New()
		tok := token(t, s)
		if w := do(s, "PUT", "/admin/faults?down=create&latency=1s", "", ""); w.Code != http.StatusNoContent {
			t.Fatalf("PUT /admin/faults: %d %s", w.Code, w.Body)
		}
		start := time.Now()
		if w := do(s, "POST", "/v1/vms", tok, `{"name":"a"}`); w.Code != http.StatusServiceUnavailable {
			t.Errorf("create while down: %d, want 503", w.Code)
		}
		if d := time.Since(start); d != time.Second {
			t.Errorf("latency %v, want 1s", d)
		}
		s.SetFaults(fakecloud.Faults{Rate: 2})
		var codes []int
		var retryAfter string
		for range 3 {
			w := do(s, "GET", "/v1/vms", tok, "")
			codes = append(codes, w.Code)
			retryAfter = w.Header().Get("Retry-After")
		}
		if codes[0] != 200 || codes[1] != 200 || codes[2] != http.StatusTooManyRequests || retryAfter != "1" {
			t.Errorf("3 requests at once under a 2/s limit: %v, Retry-After %q; want 200 200 429, 1", codes, retryAfter)
		}
		time.Sleep(500 * time.Millisecond) // the bucket refills at 2/s
		if w := do(s, "GET", "/v1/vms", tok, ""); w.Code != http.StatusOK {
			t.Errorf("after 500ms: %d, want 200", w.Code)
		}
		if st := s.Stats(); st.Requests["list"] != 4 || st.Faulted["list"] != 1 || st.Faulted["create"] != 1 {
			t.Errorf("stats %+v", st)
		}
	})
}
