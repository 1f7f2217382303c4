// Package depcheck holds the test that keeps the module's dependency
// direction as README.md and the design notes state it:
//
//	examples -> tools -> memory      (tools may use memory, not the reverse)
//	examples -> tools, memory, retrieval -> llm -> chain -> standard library
//	chain/schema imports nothing of Chorus; nothing under chain/ imports llm
//
// Run it with go test ./internal/depcheck; it walks go list -deps -json
// and prints the import chain of every dependency that points the wrong
// way. The package has no API.
package depcheck
