package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// peakRSS reads the process's peak resident set size (VmHWM) from
// /proc/self/status, in bytes; 0 where there is no /proc (not Linux).
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// writeStats writes the -stats line: documents per second and the peak
// resident memory of the process (Tesseract runs in child processes,
// which it does not count).
func writeStats(w io.Writer, analysed int, elapsed time.Duration) {
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(analysed) / s
	}
	rss := "unknown (no /proc/self/status)"
	if b := peakRSS(); b > 0 {
		rss = fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	fmt.Fprintf(w, "stats: %d documents analysed in %s, %.2f documents/s, peak RSS %s (VmHWM)\n", analysed, duration(ms(elapsed)), rate, rss)
}

// runGenerate writes a corpus for -generate-corpus.
func runGenerate(ctx context.Context, dir string, n int, e env) int {
	start := time.Now()
	if err := generateCorpus(ctx, dir, n); err != nil {
		fmt.Fprintln(e.stderr, "docanalysis: -generate-corpus:", err)
		return 2
	}
	fmt.Fprintf(e.stdout, "wrote %d documents to %s in %s\n", n, dir, duration(ms(time.Since(start))))
	return 0
}
