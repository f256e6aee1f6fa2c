package main

// DESIGN.md asks that the default rules be right on programs (daemons,
// servers, agents) as well as on libraries, measured separately: a
// goroutine that lives as long as the process is normal in a program's
// main and a leak in a library. So every target is of one class.
const (
	classProgram = "programs"
	classLibrary = "libraries"
)

var classes = []string{classProgram, classLibrary}

// corpusPrograms names the modules of bench/corpus that are programs, with
// what kind; every other module there, and the standard library, is a
// library. Every module of bench/programs is a program by definition.
var corpusPrograms = map[string]string{
	"github.com/caddyserver/caddy/v2":      "server",
	"github.com/golangci/golangci-lint/v2": "CLI",
	"github.com/nats-io/nats-server/v2":    "server",
}

// programKinds says what each module of bench/programs runs as, for the
// report's table of targets.
var programKinds = map[string]string{
	"github.com/Shopify/toxiproxy/v2":         "TCP fault-injection proxy",
	"github.com/coredns/coredns":              "DNS server",
	"github.com/distribution/distribution/v3": "container registry",
	"github.com/mochi-mqtt/server/v2":         "MQTT broker",
	"github.com/oauth2-proxy/oauth2-proxy/v7": "authenticating reverse proxy",
	"github.com/prometheus/alertmanager":      "alert router",
	"github.com/prometheus/node_exporter":     "metrics exporter",
	"github.com/prometheus/prometheus":        "monitoring server and TSDB",
	"go.etcd.io/etcd/server/v3":               "consensus key-value server",
	"tailscale.com":                           "VPN agent and servers",
}

// classify sets t's class and kind: fromPrograms says whether t is a
// requirement of bench/programs.
func classify(t *target, fromPrograms bool) {
	switch kind, ok := corpusPrograms[t.name]; {
	case fromPrograms:
		t.class, t.kind = classProgram, programKinds[t.name]
		if t.kind == "" {
			t.kind = "program"
		}
	case ok:
		t.class, t.kind = classProgram, kind
	default:
		t.class, t.kind = classLibrary, "library"
	}
}
