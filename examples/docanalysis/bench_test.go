package main

import (
	"context"
	"testing"
)

// benchPipeline analyses the inputs b.N times over with the local
// pipeline and reports documents per second.
func benchPipeline(b *testing.B, inputs []Input) {
	b.Setenv("OPENAI_API_KEY", "")
	b.Setenv("OPENAI_BASE_URL", "")
	b.Setenv("DATABASE_URL", "")
	ctx := context.Background()
	p, err := Build(ctx, Config{Models: "none"})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	b.ResetTimer()
	docs := 0
	for b.Loop() {
		out, err := p.Analyse(ctx, inputs, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range out.Documents {
			if d.Error != "" {
				b.Fatal(d.Error)
			}
		}
		docs += len(inputs)
	}
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
}

// The bundled scans through the whole local pipeline: Tesseract, the
// vote, the rules, the index.
func BenchmarkPipelineOCR(b *testing.B) {
	needTesseract(b)
	inputs, err := bundledInputs()
	if err != nil {
		b.Fatal(err)
	}
	benchPipeline(b, inputs)
}

// The same documents as text: everything but OCR.
func BenchmarkPipelineText(b *testing.B) {
	var inputs []Input
	for _, d := range sampleDocuments() {
		inputs = append(inputs, Input{Name: d.Name + ".txt", Text: d.Text()})
	}
	benchPipeline(b, inputs)
}
