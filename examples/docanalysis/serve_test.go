package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The pipeline over HTTP (chain/serve): POST a scanned page as base64
// JSON, get its analysis; ask about it; read the graph.
func TestServe(t *testing.T) {
	ocr := needTesseract(t)
	noModels(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := Build(ctx, Config{Models: "none", OCR: ocr})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	mux, err := newMux(p)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := srv.Client()
	defer client.CloseIdleConnections()

	post := func(path string, body any, out any) {
		t.Helper()
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Post(srv.URL+path, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s: %s", path, resp.Status, raw)
		}
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("POST %s: %v: %s", path, err, raw)
		}
	}

	img, err := samples.ReadFile("testdata/invoice.png")
	if err != nil {
		t.Fatal(err)
	}
	var a Analysis
	post("/analyse", Input{Name: "invoice.png", Image: img}, &a) // []byte marshals as base64
	if a.Type != Invoice || a.Fields.Invoice == nil || a.Fields.Invoice.Number != "INV-2041" || a.Fields.Invoice.Total != "1,234.50" || a.Source != "ocr" {
		t.Errorf("analysis: type %q, fields %+v, source %q", a.Type, a.Fields.Invoice, a.Source)
	}

	// The analysis carries where each field was found: the words of the
	// scan, with their boxes.
	found := false
	for _, p := range a.Provenance {
		if p.Field == "number" {
			found = len(p.Words) == 1 && p.Words[0].Text == "INV-2041" && p.Words[0].Box != nil && p.Words[0].Box.X1 > p.Words[0].Box.X0 && p.Page == 1
		}
	}
	if !found {
		t.Errorf("no provenance of the invoice number: %+v", a.Provenance)
	}

	var ans AnswerReport
	post("/ask", map[string]string{"value": "What is the invoice total?"}, &ans)
	checkAnswer(t, ans, "1,234.50", "invoice.png", "extractive")

	resp, err := client.Post(srv.URL+"/analyse", "application/json", strings.NewReader(`{"name": "x.png", "image": "not base64!"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad base64: %s, want 400", resp.Status)
	}

	resp, err = client.Get(srv.URL + "/analyse/graph")
	if err != nil {
		t.Fatal(err)
	}
	graph, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(graph, []byte("classify: vote")) {
		t.Errorf("graph:\n%s", graph)
	}

	resp, err = client.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(metrics, []byte(`chorus_node_duration_seconds_count{kind="vote",node="document/classify"}`)) {
		t.Errorf("metrics lack the classify vote's latency:\n%s", metrics)
	}
}
