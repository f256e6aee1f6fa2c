// Command vmfleet keeps a fleet of VMs alive through a cloud API (by default a
// fake one that it starts on 127.0.0.1) and serves a status page:
//
//	go run ./cmd/vmfleet -size 5     # in examples/vmfleet; then open http://127.0.0.1:8080
//
// It stops on SIGINT or SIGTERM: task.Shutdown cancels every task, the
// checkpoint is saved a last time, and any task still running after -grace
// is named, and the exit status is 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/resilvet/resilvet/examples/vmfleet/fakecloud"
	"github.com/resilvet/resilvet/examples/vmfleet/fleet"
	"github.com/resilvet/resilvet/runtime/cancel"
	"github.com/resilvet/resilvet/runtime/guard"
	"github.com/resilvet/resilvet/runtime/task"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "vmfleet:", err)
		os.Exit(1)
	}
}

type options struct {
	listen, cloud, notify, cloudOnly string
	fleet                            fleet.Config
	faults                           fakecloud.Faults
}

func run(args []string, stderr io.Writer) error {
	var o options
	fl := flag.NewFlagSet("vmfleet", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address of the status page")
	fl.StringVar(&o.cloud, "cloud", "", "URL of the cloud API; empty: start a fake one on 127.0.0.1")
	fl.StringVar(&o.cloudOnly, "fake-cloud-only", "", "serve only a fake cloud API, on this address (for -cloud of another vmfleet)")
	fl.StringVar(&o.notify, "notify", "", "URL of an optional webhook told of the fleet's events")
	fl.StringVar(&o.fleet.Name, "name", "vmfleet", "fleet name: VMs are NAME-000, NAME-001...")
	fl.StringVar(&o.fleet.StatePath, "state", "vmfleet.ckpt", "checkpoint file")
	fl.IntVar(&o.fleet.Size, "size", 3, "number of VMs, unless the checkpoint says otherwise")
	fl.DurationVar(&o.fleet.Interval, "interval", 2*time.Second, "between rounds of each loop and between checkpoints")
	fl.DurationVar(&o.fleet.BreakerTimeout, "breaker-timeout", 30*time.Second, "how long an open breaker stays open")
	fl.DurationVar(&o.faults.Latency, "fake-latency", 20*time.Millisecond, "fake cloud: latency of each request")
	fl.Float64Var(&o.faults.ErrorRate, "fake-errors", 0, "fake cloud: fraction of requests answered 500")
	fl.Float64Var(&o.faults.Rate, "fake-rate", 0, "fake cloud: requests per second before it answers 429; 0: no limit")
	grace := fl.Duration("grace", 10*time.Second, "how long shutdown waits for the tasks")
	if err := fl.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil
	} else if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	slog.SetDefault(log) // runtime/task's default group and runtime/guard log through it

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := start(ctx, log, o)
	if err == nil {
		<-ctx.Done()
		stop() // a second signal kills at once
		log.Info("vmfleet: shutting down", "grace", *grace)
	}
	// Whether start failed or not, tasks may be running: stop them all.
	sctx, cancelShutdown := context.WithTimeout(context.Background(), *grace)
	defer cancelShutdown()
	if serr := task.Shutdown(sctx); serr != nil {
		return errors.Join(err, serr) // names every straggler
	}
	log.Info("vmfleet: stopped, every task joined")
	return err
}

// start starts the fake cloud if there is no other, the manager and the status
// page (or, with -fake-cloud-only, only the fake cloud), all as tasks of
// runtime/task's default group.
func start(ctx context.Context, log *slog.Logger, o options) error {
	o.fleet.CloudURL = o.cloud
	if o.cloud == "" {
		addr := "127.0.0.1:0"
		if o.cloudOnly != "" {
			addr = o.cloudOnly
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		cloud := fakecloud.New()
		cloud.SetFaults(o.faults)
		serve(ctx, "fakecloud", cloud, ln)
		o.fleet.CloudURL = "http://" + ln.Addr().String()
		log.Info("vmfleet: fake cloud API", "url", o.fleet.CloudURL,
			"outage", "curl -X PUT '"+o.fleet.CloudURL+"/admin/faults?down=create'")
		if o.cloudOnly != "" {
			return nil
		}
	}
	if o.notify != "" {
		wh, err := fleet.DialWebhook(ctx, o.notify)
		if guard.Optional("notifier webhook", err) {
			o.fleet.Notifier = wh
		}
	}
	m, err := fleet.Start(ctx, o.fleet)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return err
	}
	serve(ctx, "vmfleet.status", m.Handler(), ln)
	log.Info("vmfleet: status page", "url", "http://"+ln.Addr().String())
	return nil
}

// serve serves h on ln as a task, until task.Shutdown, which it then waits
// for in-flight requests to end, for up to 5s.
func serve(ctx context.Context, name string, h http.Handler, ln net.Listener) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	task.Go(ctx, name, func(ctx context.Context) error {
		closed := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			defer close(closed)
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				slog.Warn("vmfleet: server shutdown", "server", name, "err", err)
			}
		})
		err := srv.Serve(ln)
		if stop() {
			return err // Serve failed on its own: Shutdown was never called
		}
		<-closed
		return cancel.Err(ctx)
	})
}
