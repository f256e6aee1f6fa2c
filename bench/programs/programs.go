//go:build corpus

// Package programs pins the programs that run as daemons — servers,
// brokers, proxies, agents, exporters — on which resilvet is measured
// apart from the libraries of bench/corpus. It is never built: the blank
// imports, one non-main package per pinned module (a main package cannot
// be imported), keep `go mod tidy` from dropping the requirements.
package programs

import (
	_ "github.com/Shopify/toxiproxy/v2"
	_ "github.com/coredns/coredns/core/dnsserver"
	_ "github.com/distribution/distribution/v3/registry"
	_ "github.com/mochi-mqtt/server/v2"
	_ "github.com/oauth2-proxy/oauth2-proxy/v7/providers"
	_ "github.com/prometheus/alertmanager/dispatch"
	_ "github.com/prometheus/node_exporter/collector"
	_ "github.com/prometheus/prometheus/tsdb"
	_ "go.etcd.io/etcd/server/v3/embed"
	_ "tailscale.com/ipn/ipnlocal"
)
