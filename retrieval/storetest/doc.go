// Package storetest holds the contract tests every retrieval.Store must
// pass, and data generators for benchmarks of stores. A store's own tests
// call Run with a function that makes a new, empty store of dimension Dim
// scoring by cosine similarity:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) retrieval.Store {
//			return retrieval.MustMemoryStore(retrieval.MemoryDimensions(storetest.Dim))
//		})
//	}
//
// (ExampleRun shows the call, and TestContract in the same file runs it
// on the in-memory store; a kit that takes a *testing.T has no example
// with output: its output is the test's. ExampleClusteredVectors runs the
// data generator.) Each subtest makes its own store and runs in parallel
// with the others.
package storetest
