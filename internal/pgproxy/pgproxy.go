// Package pgproxy holds a TCP proxy for tests of the PostgreSQL stores
// that loses cancel requests on their way to the server.
//
//	pool := newPool(t, func(c *pgxpool.Config) { pgproxy.DropCancels(t, c) })
//
// Users should not import it.
package pgproxy

import (
	"encoding/binary"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// cancelCode is the code of PostgreSQL's CancelRequest message, which a
// client sends on a connection of its own.
const cancelCode = 80877102

// DropCancels starts a TCP proxy to the PostgreSQL server of cfg that
// forwards every connection but those carrying a cancel request, which it
// closes unread: a cancel lost on the way, as behind some proxies, or one
// that the server drops because it arrived between two messages of a
// pipeline. It points cfg at the proxy.
func DropCancels(t testing.TB, cfg *pgxpool.Config) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := net.JoinHostPort(cfg.ConnConfig.Host, strconv.Itoa(int(cfg.ConnConfig.Port)))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	track := func(c net.Conn) {
		mu.Lock()
		open = append(open, c)
		mu.Unlock()
	}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			track(client)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer client.Close()
				var head [8]byte
				if _, err := io.ReadFull(client, head[:]); err != nil {
					return
				}
				if binary.BigEndian.Uint32(head[4:]) == cancelCode {
					return // lost
				}
				backend, err := net.Dial("tcp", server)
				if err != nil {
					return
				}
				track(backend)
				defer backend.Close()
				if _, err := backend.Write(head[:]); err != nil {
					return
				}
				done := make(chan struct{}, 2)
				pipe := func(dst, src net.Conn) {
					_, _ = io.Copy(dst, src)
					// a close on one side is a close on the other, as
					// with a direct connection
					dst.Close()
					src.Close()
					done <- struct{}{}
				}
				go pipe(backend, client)
				go pipe(client, backend)
				<-done
				<-done
			}()
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	cfg.ConnConfig.Host, cfg.ConnConfig.Port = host, uint16(p)
}
