package storetest_test

import (
	"fmt"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

// A store's test runs the contract with a function that makes a new, empty
// store of dimension storetest.Dim; TestContract below is this call on the
// in-memory store. Put it in a Test function of your store's package:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, newStore)
//	}
func ExampleRun() {
	newStore := func(t *testing.T) retrieval.Store {
		return retrieval.MustMemoryStore(retrieval.MemoryDimensions(storetest.Dim))
	}
	test := func(t *testing.T) { storetest.Run(t, newStore) }
	_ = test
}

// TestContract runs ExampleRun's code: the contract on the in-memory store.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return retrieval.MustMemoryStore(retrieval.MemoryDimensions(storetest.Dim))
	})
}

// Vectors with structure for benchmarks of approximate indexes: each lies
// near one of a few centres, and the same seed gives the same vectors.
func ExampleClusteredVectors() {
	vectors, cluster := storetest.ClusteredVectors(1000, 64, 10, 0.1, 42)
	counts := map[int]int{}
	for _, c := range cluster {
		counts[c]++
	}
	again, _ := storetest.ClusteredVectors(1000, 64, 10, 0.1, 42)
	var norm float64
	for _, x := range vectors[0] {
		norm += float64(x) * float64(x)
	}
	fmt.Println(len(vectors), len(vectors[0]), len(counts), "clusters")
	fmt.Printf("unit length: %.3f, same seed, same vectors: %t\n", norm, again[0][0] == vectors[0][0])
	// Output:
	// 1000 64 10 clusters
	// unit length: 1.000, same seed, same vectors: true
}
