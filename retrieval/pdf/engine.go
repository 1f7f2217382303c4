package pdf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/chorus-go/chorus/chain"
)

// Engine reads PDF files with PDFium compiled to WebAssembly and run by
// wazero: no cgo, no system library. Open it once and share it; it is safe
// for concurrent use and reads up to WithConcurrency documents at once.
// Close releases it.
type Engine struct {
	cfg   config
	pool  pdfium.Pool
	cache wazero.CompilationCache

	mu     sync.RWMutex
	closed bool
}

// Open starts an engine: it compiles the PDFium module (about 5 MB of
// WebAssembly) or loads it from the compilation cache (see WithCacheDir),
// then PDFium instances start as documents are read. ctx bounds the
// start only. Invalid options give an error matching chain.ErrConfig.
func Open(ctx context.Context, opts ...Option) (*Engine, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return nil, configError("%s", strings.Join(cfg.errs, "; "))
	}
	start := time.Now()
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(cfg.maxMemory / 65536))
	var cache wazero.CompilationCache
	if cfg.cacheDir != "" {
		if err := os.MkdirAll(cfg.cacheDir, 0o700); err != nil {
			cfg.logger.Warn("pdf: compilation cache unavailable", "dir", cfg.cacheDir, "err", err)
		} else if c, err := wazero.NewCompilationCacheWithDir(cfg.cacheDir); err != nil {
			cfg.logger.Warn("pdf: compilation cache unavailable", "dir", cfg.cacheDir, "err", err)
		} else {
			cache = c
			rc = rc.WithCompilationCache(c)
		}
	}
	type result struct {
		pool pdfium.Pool
		err  error
	}
	done := make(chan result, 1)
	go func() {
		p, err := webassembly.Init(webassembly.Config{
			MinIdle:  0,
			MaxIdle:  cfg.concurrency,
			MaxTotal: cfg.concurrency,
			// PDFium sees no file system: documents are given as bytes.
			FSConfig:      wazero.NewFSConfig(),
			RuntimeConfig: rc,
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			ReuseWorkers:  true,
		})
		done <- result{p, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		// The compilation cannot be interrupted: wait for it in the
		// background and release what it made.
		go func() {
			if r := <-done; r.err == nil {
				_ = r.pool.Close()
			}
			if cache != nil {
				_ = cache.Close(context.Background())
			}
		}()
		return nil, fmt.Errorf("pdf.Open: %w", ctx.Err())
	}
	if r.err != nil {
		if cache != nil {
			_ = cache.Close(context.Background())
		}
		return nil, fmt.Errorf("pdf.Open: starting PDFium: %w", r.err)
	}
	cfg.logger.Debug("pdf: engine started", "duration", time.Since(start), "cache", cfg.cacheDir)
	return &Engine{cfg: cfg, pool: r.pool, cache: cache}, nil
}

// MustOpen is Open that panics on error, for programs whose start-up
// cannot go on without PDFs.
func MustOpen(ctx context.Context, opts ...Option) *Engine {
	e, err := Open(ctx, opts...)
	if err != nil {
		panic(err)
	}
	return e
}

// Close stops every PDFium instance and releases the engine; reads in
// progress finish first. Later reads fail with ErrClosed. Closing twice is
// harmless.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	err := e.pool.Close()
	if e.cache != nil {
		err = errors.Join(err, e.cache.Close(context.Background()))
	}
	return err
}

// Describe names the engine in chain graphs.
func (e *Engine) Describe() chain.Node { return chain.Node{Name: "pdfium", Kind: "pdf"} }

// instance borrows a PDFium instance for one document; the caller must
// hold e.mu for reading until it is closed.
func (e *Engine) instance(ctx context.Context) (pdfium.Pdfium, error) {
	if e.closed {
		return nil, ErrClosed
	}
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%w: %v", ErrEngine, err)
	}
	return inst, nil
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
