package serve_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// BenchmarkServe compares an Endpoint serving chain.Pure(upper) with a
// bare net/http handler doing the same JSON decode, call and encode, both
// behind httptest.Server and called by the same kind of http.Client. The
// Endpoint also checks the content type, bounds the body and validates it
// against the input schema. Compare the req/s of each pair.
func BenchmarkServe(b *testing.B) {
	handlers := benchHandlers(b)
	for _, mode := range []string{"sequential", "parallel"} {
		for _, h := range handlers {
			b.Run(mode+"/"+h.name, func(b *testing.B) {
				srv := httptest.NewServer(h.h)
				defer srv.Close()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				defer client.CloseIdleConnections()
				call := func() error {
					resp, err := client.Post(srv.URL, "application/json", strings.NewReader(benchBody))
					if err != nil {
						return err
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						return fmt.Errorf("status %d", resp.StatusCode)
					}
					return nil
				}
				b.ReportAllocs()
				b.ResetTimer()
				if mode == "sequential" {
					for b.Loop() {
						if err := call(); err != nil {
							b.Fatal(err)
						}
					}
				} else {
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if err := call(); err != nil {
								b.Error(err)
								return
							}
						}
					})
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			})
		}
	}
}

const benchBody = `{"text":"the quick brown fox jumps over the lazy dog","count":3}`

// benchHandlers returns the bare handler and the Endpoint to compare.
func benchHandlers(b *testing.B) []struct {
	name string
	h    http.Handler
} {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in Req
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(upper(in))
	})
	return []struct {
		name string
		h    http.Handler
	}{
		{"bare", bare},
		{"chain", mustHandler(b, chain.Pure(upper))},
	}
}

// BenchmarkHandler is BenchmarkServe without the network: ServeHTTP on a
// recorder, which shows the Endpoint's own cost (content type, size
// bound, schema validation) against the bare handler's.
func BenchmarkHandler(b *testing.B) {
	for _, h := range benchHandlers(b) {
		b.Run(h.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest("POST", "/", strings.NewReader(benchBody))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.h.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

// BenchmarkServeRatio runs the two servers of BenchmarkServe in
// alternating rounds of requests (sequential: one worker; parallel: four),
// so that load from elsewhere on the machine hits both alike, and reports
// each one's req/s and how many times longer the Endpoint took
// (chain/bare).
func BenchmarkServeRatio(b *testing.B) {
	const perWorker = 50
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			hs := benchHandlers(b)
			type target struct {
				url    string
				client *http.Client
				total  time.Duration
			}
			targets := make([]*target, len(hs))
			for i, h := range hs {
				srv := httptest.NewServer(h.h)
				defer srv.Close()
				client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				defer client.CloseIdleConnections()
				targets[i] = &target{url: srv.URL, client: client}
			}
			round := func(t *target) error {
				start := time.Now()
				errs := make(chan error, workers)
				for range workers {
					go func() {
						for range perWorker {
							resp, err := t.client.Post(t.url, "application/json", strings.NewReader(benchBody))
							if err != nil {
								errs <- err
								return
							}
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
						}
						errs <- nil
					}()
				}
				var first error
				for range workers {
					if err := <-errs; err != nil && first == nil {
						first = err
					}
				}
				t.total += time.Since(start)
				return first
			}
			i := 0
			for b.Loop() {
				// Alternate which goes first.
				for _, t := range []*target{targets[i%2], targets[(i+1)%2]} {
					if err := round(t); err != nil {
						b.Fatal(err)
					}
				}
				i++
			}
			n := float64(workers * perWorker * b.N)
			b.ReportMetric(n/targets[0].total.Seconds(), "bare-req/s")
			b.ReportMetric(n/targets[1].total.Seconds(), "chain-req/s")
			b.ReportMetric(targets[1].total.Seconds()/targets[0].total.Seconds(), "chain/bare")
		})
	}
}
