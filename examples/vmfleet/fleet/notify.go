package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/resilvet/resilvet/runtime/cancel"
)

// An Event is a change to the fleet.
type Event struct {
	Time   time.Time `json:"time"`
	What   string    `json:"what"` // created, deleted, lost, adopted, breaker
	VM     string    `json:"vm,omitempty"`
	ID     string    `json:"id,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// A Notifier is told of the fleet's events, one at a time. It is an optional
// dependency: the fleet runs without one, and a slow one only loses events.
type Notifier interface {
	Notify(ctx context.Context, e Event) error
}

// notify queues e for the notifier without ever blocking the fleet's loops.
func (m *Manager) notify(e Event) {
	if m.cfg.Notifier == nil {
		return
	}
	e.Time = time.Now()
	select {
	case m.events <- e:
	default:
		m.mu.Lock()
		m.dropped++
		m.mu.Unlock()
	}
}

// deliver is the notifier task.
func (m *Manager) deliver(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return cancel.Err(ctx)
		case e := <-m.events:
			nctx, stop := context.WithTimeout(ctx, 5*time.Second)
			err := m.cfg.Notifier.Notify(nctx, e)
			stop()
			if err != nil && !cancel.Of(ctx, err) {
				m.log.Warn("vmfleet: notification failed", "event", e.What, "err", err)
			}
		}
	}
}

// A Webhook is a Notifier that posts each event, as JSON, to a URL.
type Webhook struct {
	url  string
	http *http.Client
}

// DialWebhook returns a Webhook for url once url has answered a HEAD request
// with a status below 500. It blocks until then, or until ctx is done.
func DialWebhook(ctx context.Context, url string) (*Webhook, error) {
	w := &Webhook{url: url, http: &http.Client{Timeout: 5 * time.Second}}
	if err := w.send(ctx, http.MethodHead, nil); err != nil {
		return nil, err
	}
	return w, nil
}

// Notify posts e.
func (w *Webhook) Notify(ctx context.Context, e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return w.send(ctx, http.MethodPost, b)
}

func (w *Webhook) send(ctx context.Context, method string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, method, w.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.http.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("webhook %s: %s", w.url, resp.Status)
	}
	return nil
}
