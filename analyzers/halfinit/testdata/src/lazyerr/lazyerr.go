//go:build go1.22

package lazyerr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

type Conn struct{ addr string }

func dial(addr string) (*Conn, error) { // want dial:"non-nil"
	if addr == "" {
		return nil, errors.New("no address")
	}
	return &Conn{addr: addr}, nil
}

func dialContext(ctx context.Context, addr string) (*Conn, error) { // want dialContext:"transient, non-nil"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Conn{addr: addr}, nil
}

// A fallible getter without a ctx: singleton.Lazy, whose Get is given
// context.Background().
var conn *Conn

func Default() (*Conn, error) {
	if conn == nil { // want `lazy initialisation of conn is not synchronised: .*; use singleton.Lazy`
		c, err := dial("db:5432")
		if err != nil {
			return nil, fmt.Errorf("dialling the database: %w", err)
		}
		conn = c
	}
	return conn, nil
}

// With a ctx in scope, Get is given it, and the constructor the
// attempt's.
var ctxConn *Conn

func WithContext(ctx context.Context) (*Conn, error) { // want WithContext:"transient"
	if ctxConn == nil { // want `lazy initialisation of ctxConn is not synchronised`
		c, err := dialContext(ctx, "db:5432")
		if err != nil {
			return nil, err
		}
		ctxConn = c
	}
	return ctxConn, nil
}

// In a handler, r.Context() is the ctx in scope; the constructor does
// not use it.
var handlerConn *Conn

func fromRequest(r *http.Request) (*Conn, error) {
	if handlerConn == nil { // want `lazy initialisation of handlerConn is not synchronised`
		c, err := dial("db:5432")
		if err != nil {
			return nil, err
		}
		handlerConn = c
	}
	return handlerConn, nil
}

func Handler(w http.ResponseWriter, r *http.Request) {
	fromRequest(r)
}

// The published value could be nil with a nil error: reported, no fix.
func maybeDial() (*Conn, error) { return nil, nil }

var maybe *Conn

func Maybe() (*Conn, error) {
	if maybe == nil { // want `lazy initialisation of maybe is not synchronised`
		c, err := maybeDial()
		if err != nil {
			return nil, err
		}
		maybe = c
	}
	return maybe, nil
}

// The constructor needs the getter's argument: reported, no fix.
var byAddr *Conn

func ByAddr(addr string) (*Conn, error) {
	if byAddr == nil { // want `lazy initialisation of byAddr is not synchronised`
		c, err := dial(addr)
		if err != nil {
			return nil, err
		}
		byAddr = c
	}
	return byAddr, nil
}
