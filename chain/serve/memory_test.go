package serve_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// The bounds TestFloodOfInvalidBodies asserts, with the default limits
// (see the package documentation for where they come from).
const (
	floodHeapBound = 256 << 20 // growth of the Go heap's live objects, peak
	floodRSSBound  = 384 << 20 // growth of the process's peak RSS, without -race
)

// TestFloodOfInvalidBodies: 200 clients at once each send 1 MiB bodies
// that are valid JSON but break the schema (every item of the wrong type:
// the costliest shape for a tree-building validator) to one endpoint,
// with the default limits. The process's memory stays under the bounds
// above; each flooding request gets 400 with a short reason or 429 with
// Retry-After; and meanwhile a valid client on another endpoint, and
// /healthz, get 200 every time.
func TestFloodOfInvalidBodies(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 600 MiB of requests")
	}
	mux := serve.MustMux()
	mux.Mount("/docs", mustHandler(t, chain.Pure(countItems)))
	mux.Mount("/shout", mustHandler(t, chain.Pure(upper)))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	defer client.CloseIdleConnections()

	body := fill(`{"title":"t","items":[`, `1`, `]}`, mib)
	runtime.GC()
	heap0, rss0 := liveHeap(), peakRSS()
	stopSampling := sampleHeap()

	const clients, each = 200, 3
	var status [600]atomic.Int64
	var longest atomic.Int64
	var flood, valid sync.WaitGroup
	for range clients {
		flood.Add(1)
		go func() {
			defer flood.Done()
			for range each {
				req, _ := http.NewRequest("POST", srv.URL+"/docs", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var b bytes.Buffer
				_, _ = b.ReadFrom(resp.Body)
				resp.Body.Close()
				status[resp.StatusCode].Add(1)
				if resp.StatusCode == 429 && resp.Header.Get("Retry-After") == "" {
					t.Error("429 without Retry-After")
				}
				if n := int64(b.Len()); n > longest.Load() {
					longest.Store(n)
				}
			}
		}()
	}
	done := make(chan struct{})
	var validOK, validCalls atomic.Int64
	valid.Add(1)
	go func() {
		defer valid.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			for _, path := range []string{"/shout", "/healthz"} {
				method, ctype, in := "POST", "application/json", `{"text":"still served"}`
				if path == "/healthz" {
					method, ctype, in = "GET", "", ""
				}
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(in))
				if ctype != "" {
					req.Header.Set("Content-Type", ctype)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				validCalls.Add(1)
				if resp.StatusCode == 200 {
					validOK.Add(1)
				}
			}
		}
	}()
	flood.Wait()
	close(done)
	valid.Wait()
	peak := stopSampling()

	heapGrowth, rssGrowth := peak-heap0, peakRSS()-rss0
	t.Logf("flood: %d×%d requests of %d bytes: %d×400, %d×429; longest reply %d bytes", clients, each, len(body), status[400].Load(), status[429].Load(), longest.Load())
	t.Logf("valid client: %d/%d calls 200", validOK.Load(), validCalls.Load())
	t.Logf("live heap peak growth %.1f MiB (bound %d MiB); peak RSS growth %.1f MiB (bound %d MiB, race=%v)",
		float64(heapGrowth)/(1<<20), floodHeapBound>>20, float64(rssGrowth)/(1<<20), floodRSSBound>>20, raceEnabled)
	if got := status[400].Load() + status[429].Load(); got != clients*each {
		t.Errorf("%d of %d flooding requests got 400 or 429", got, clients*each)
	}
	if status[400].Load() == 0 {
		t.Error("no flooding request was validated")
	}
	if longest.Load() > 8<<10 {
		t.Errorf("an error reply of %d bytes: the reason is not bounded", longest.Load())
	}
	if validCalls.Load() == 0 || validOK.Load() != validCalls.Load() {
		t.Errorf("valid client: %d of %d calls got 200", validOK.Load(), validCalls.Load())
	}
	if heapGrowth > floodHeapBound {
		t.Errorf("live heap grew %d MiB, over the bound of %d MiB", heapGrowth>>20, floodHeapBound>>20)
	}
	if !raceEnabled && rss0 > 0 && rssGrowth > floodRSSBound {
		t.Errorf("peak RSS grew %d MiB, over the bound of %d MiB", rssGrowth>>20, floodRSSBound>>20)
	}
}

// liveHeap reads the bytes of the Go heap's objects, live or not yet
// swept.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// sampleHeap samples liveHeap every few milliseconds until the returned
// stop function is called, which returns the peak seen.
func sampleHeap() (stop func() int64) {
	peak := new(atomic.Int64)
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			if h := liveHeap(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	return func() int64 {
		close(quit)
		<-finished
		return peak.Load()
	}
}

// peakRSS reads the process's peak resident set (VmHWM), in bytes, or 0
// where /proc is not there.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
