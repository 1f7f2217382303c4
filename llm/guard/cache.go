package guard

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"sync"

	"github.com/chorus-go/chorus/llm"
)

// cacheKey is the SHA-256 of a request's canonical encoding.
type cacheKey [sha256.Size]byte

// lru is a bounded map of answers, the least recently used dropped first.
type lru[V any] struct {
	max int

	mu    sync.Mutex
	order list.List // of *entry[V], most recent at the front
	items map[cacheKey]*list.Element
}

type entry[V any] struct {
	key cacheKey
	val V
}

func newLRU[V any](max int) *lru[V] {
	return &lru[V]{max: max, items: make(map[cacheKey]*list.Element, min(max, 1024))}
}

func (c *lru[V]) get(k cacheKey) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*entry[V]).val, true
	}
	var zero V
	return zero, false
}

func (c *lru[V]) put(k cacheKey, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*entry[V]).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&entry[V]{k, v})
	if c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*entry[V]).key)
	}
}

// keyWriter builds a canonical encoding of a request, hashed into its
// key: every field in a fixed order, strings and byte slices
// length-prefixed, optional values with a presence flag, so that two
// different requests never encode the same.
type keyWriter struct {
	buf []byte
}

func newKeyWriter(kind string) *keyWriter {
	w := &keyWriter{buf: make([]byte, 0, 512)}
	w.str(kind)
	return w
}

func (w *keyWriter) int(n int64) { w.buf = binary.AppendVarint(w.buf, n) }
func (w *keyWriter) str(s string) {
	w.int(int64(len(s)))
	w.buf = append(w.buf, s...)
}
func (w *keyWriter) bytes(b []byte) {
	w.int(int64(len(b)))
	w.buf = append(w.buf, b...)
}
func (w *keyWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
}
func (w *keyWriter) float(f *float64) {
	w.bool(f != nil)
	if f != nil {
		w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(*f))
	}
}

func (w *keyWriter) sum() cacheKey { return sha256.Sum256(w.buf) }

// requestKey is the cache key of a chat request to the model named name.
// A test checks that it covers every field of llm.Request.
func requestKey(name string, req *llm.Request) cacheKey {
	w := newKeyWriter("chat")
	w.str(name)
	w.int(int64(len(req.Messages)))
	for i := range req.Messages {
		m := &req.Messages[i]
		w.str(string(m.Role))
		w.str(m.Name)
		w.str(m.ToolCallID)
		w.int(int64(len(m.Parts)))
		for _, p := range m.Parts {
			w.str(p.Text)
			w.bool(p.Image != nil)
			if p.Image != nil {
				w.str(p.Image.MIMEType)
				w.bytes(p.Image.Data)
			}
		}
		w.int(int64(len(m.ToolCalls)))
		for _, tc := range m.ToolCalls {
			w.str(tc.ID)
			w.str(tc.Name)
			w.bytes(tc.Arguments)
		}
	}
	w.int(int64(len(req.Tools)))
	for _, t := range req.Tools {
		w.str(t.Name)
		w.str(t.Description)
		w.bytes(t.Parameters)
	}
	w.str(req.ToolChoice)
	w.bool(req.Format != nil)
	if f := req.Format; f != nil {
		w.str(string(f.Type))
		w.str(f.Name)
		w.bytes(f.Schema)
		w.bool(f.Strict)
	}
	o := &req.Options
	w.float(o.Temperature)
	w.float(o.TopP)
	w.int(int64(o.MaxTokens))
	w.int(int64(len(o.Stop)))
	for _, s := range o.Stop {
		w.str(s)
	}
	w.bool(o.Seed != nil)
	if o.Seed != nil {
		w.int(int64(*o.Seed))
	}
	return w.sum()
}

// textsKey is the cache key of an embedding call.
func textsKey(name string, texts []string) cacheKey {
	w := newKeyWriter("embed")
	w.str(name)
	w.int(int64(len(texts)))
	for _, t := range texts {
		w.str(t)
	}
	return w.sum()
}

// imageKey is the cache key of an OCR call.
func imageKey(name string, img *llm.Image) cacheKey {
	w := newKeyWriter("ocr")
	w.str(name)
	w.str(img.MIMEType)
	w.bytes(img.Data)
	return w.sum()
}
