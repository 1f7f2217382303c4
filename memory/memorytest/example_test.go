package memorytest_test

import (
	"testing"

	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/memorytest"
)

// A store's test runs the contract with a function that makes a new, empty
// store; TestInProcess below is this call on memory's in-process store.
// Put it in a Test function of your store's package:
//
//	func TestStore(t *testing.T) {
//		memorytest.TestStore(t, newEmptyStore)
//	}
func ExampleTestStore() {
	newEmptyStore := func(t *testing.T) memory.Store {
		return memory.NewInProcess() // a store that needs it registers its cleanup with t
	}
	test := func(t *testing.T) { memorytest.TestStore(t, newEmptyStore) }
	_ = test
}

// TestInProcess runs ExampleTestStore's code: the contract on memory's
// in-process store.
func TestInProcess(t *testing.T) {
	memorytest.TestStore(t, func(*testing.T) memory.Store { return memory.NewInProcess() })
}
