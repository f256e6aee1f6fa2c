//go:build corpus

// Package corpus pins the real modules resilvet is measured on. It is never
// built: the blank imports keep `go mod tidy` from dropping the requirements.
package corpus

import (
	_ "github.com/IBM/sarama"
	_ "github.com/caddyserver/caddy/v2"
	_ "github.com/dgraph-io/badger/v4"
	_ "github.com/gin-gonic/gin"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/golang/groupcache/singleflight"
	_ "github.com/golangci/golangci-lint/v2/pkg/commands"
	_ "github.com/gorilla/websocket"
	_ "github.com/hashicorp/go-plugin"
	_ "github.com/hashicorp/memberlist"
	_ "github.com/hashicorp/raft"
	_ "github.com/hashicorp/yamux"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"
	_ "github.com/miekg/dns"
	_ "github.com/nats-io/nats-server/v2/server"
	_ "github.com/nats-io/nats.go"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/segmentio/kafka-go"
	_ "github.com/sony/gobreaker/v2"
	_ "github.com/spf13/cobra"
	_ "github.com/valyala/fasthttp"
	_ "go.etcd.io/etcd/client/v3"
	_ "go.etcd.io/raft/v3"
	_ "go.temporal.io/sdk/client"
	_ "go.uber.org/zap"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/tools/go/analysis"
	_ "google.golang.org/grpc"
	_ "honnef.co/go/tools/staticcheck"
)
