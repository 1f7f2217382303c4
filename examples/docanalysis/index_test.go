package main

import (
	"context"
	"os"
	"testing"
	"time"
)

// With DATABASE_URL set, the index is PostgreSQL with pgvector. Runs when
// CHORUS_TEST_DATABASE_URL names a database (make test starts one).
func TestPGVectorIndex(t *testing.T) {
	url := os.Getenv("CHORUS_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("CHORUS_TEST_DATABASE_URL is not set: run make test, or eval \"$(make -s services-up)\", to test the pgvector index")
	}
	noModels(t)
	t.Setenv("DATABASE_URL", url)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := Build(ctx, Config{Models: "none"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Models.Store != "pgvector "+databaseName(url)+"/docanalysis_256" {
		t.Errorf("store %q", p.Models.Store)
	}
	var inputs []Input
	for _, d := range sampleDocuments() {
		inputs = append(inputs, Input{Name: d.Name + ".txt", Text: d.Text()})
	}
	b, err := p.Analyse(ctx, inputs, []string{"Who are the parties to the contract?"})
	if err != nil {
		t.Fatal(err)
	}
	checkDocuments(t, b.Documents)
	checkAnswer(t, b.Answers[0], "Acme Widgets Ltd", "contract.txt", "extractive")
}
