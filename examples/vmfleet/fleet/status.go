package fleet

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resilvet/resilvet/runtime/breaker"
)

// Status is what the status page shows, and /status.json returns.
type Status struct {
	Fleet         string                      `json:"fleet"`
	Size          int                         `json:"size"`
	Client        string                      `json:"client"`                 // "connecting" until the API client is made, then "connected"
	SyncingSince  *time.Time                  `json:"syncingSince,omitempty"` // until the first complete list of the API's VMs
	VMs           []VM                        `json:"vms"`
	Unmanaged     int                         `json:"unmanaged"` // VMs of the API this fleet does not manage
	Breakers      map[string]breaker.Snapshot `json:"breakers"`  // by endpoint
	Calls         map[string]CallStats        `json:"calls"`     // by endpoint, with retry counts
	Restored      *Restored                   `json:"restored,omitempty"`
	DroppedEvents int                         `json:"droppedEvents"` // notifications dropped because the notifier lagged
}

// Handler returns the status page's handler: GET / is the page, GET
// /status.json its data, POST /scale?size=N sets the fleet's size.
func (m *Manager) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Execute(w, m.Status()); err != nil {
			m.log.Warn("vmfleet: status page", "err", err)
		}
	})
	mux.HandleFunc("GET /status.json", m.serveJSON)
	mux.HandleFunc("POST /scale", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(r.FormValue("size"))
		if err != nil || n < 0 {
			http.Error(w, "size must be a number ≥ 0", http.StatusBadRequest)
			return
		}
		m.Scale(n)
		m.serveJSON(w, r)
	})
	return mux
}

func (m *Manager) serveJSON(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(m.Status()) // a client that went away needs no answer
}

var page = template.Must(template.New("status").Funcs(template.FuncMap{
	"dur": func(d time.Duration) time.Duration { return d.Round(time.Millisecond) },
}).Parse(`<!DOCTYPE html>
<title>{{.Fleet}}</title>
<meta http-equiv="refresh" content="2">
<h1>{{.Fleet}}: {{len .VMs}} of {{.Size}} VMs</h1>
<p>API client {{.Client}}{{with .SyncingSince}}; waiting for the first list since {{.Format "15:04:05"}}{{end}}.
{{with .Restored}}Restored at start: size {{.Size}}, {{.VMs}} VMs, breakers {{.Breakers}}.{{end}}
{{if .Unmanaged}}{{.Unmanaged}} VMs in the cloud are not this fleet's.{{end}}</p>
<table border=1><tr><th>name<th>id<th>state<th>created
{{range .VMs}}<tr><td>{{.Name}}<td>{{.ID}}<td>{{.State}}<td>{{.Created.Format "15:04:05"}}
{{end}}</table>
<h2>API endpoints</h2>
<table border=1><tr><th>endpoint<th>breaker<th>open for<th>calls<th>retries<th>failures<th>refused
{{range $ep, $b := .Breakers}}{{$c := index $.Calls $ep}}<tr><td>{{$ep}}<td>{{$b.State}}<td>{{dur $b.OpenFor}}
<td>{{$c.Calls}}<td>{{$c.Retries}}<td>{{$c.Failures}}<td>{{$c.Refused}}
{{end}}</table>
<p><a href="/status.json">status.json</a></p>
`))

// Status returns what the status page shows.
func (m *Manager) Status() Status {
	st := Status{Fleet: m.cfg.Name, Client: "connecting", Restored: m.restored,
		Breakers: make(map[string]breaker.Snapshot)}
	if c := m.connected(); c != nil {
		st.Client, st.Calls = "connected", c.Stats()
	}
	if since := m.syncing.Since(); !since.IsZero() {
		st.SyncingSince = &since
	}
	for ep, b := range m.breakers {
		st.Breakers[ep] = b.Snapshot()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st.Size, st.Unmanaged, st.DroppedEvents = m.size, m.unmanaged, m.dropped
	for _, vm := range m.vms {
		st.VMs = append(st.VMs, vm)
	}
	slices.SortFunc(st.VMs, func(a, b VM) int { return strings.Compare(a.Name, b.Name) })
	return st
}

// connected returns the API client if it has been made, without making it or
// waiting for it: that is what Lazy.Get does on a context that is done.
func (m *Manager) connected() *Client {
	done, stop := context.WithCancel(context.Background())
	stop()
	c, _ := m.client.Get(done)
	return c
}
