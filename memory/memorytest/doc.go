// Package memorytest checks implementations of memory.Store against the
// contract that memory's policies rely on, in the spirit of testing/fstest,
// and benchmarks them. Call it from the tests of your store:
//
//	func TestStore(t *testing.T) {
//		memorytest.TestStore(t, func(t *testing.T) memory.Store {
//			return newEmptyStore(t) // register its cleanup with t
//		})
//	}
//
//	func BenchmarkStore(b *testing.B) {
//		memorytest.BenchmarkStore(b, func(b *testing.B) memory.Store { return newEmptyStore(b) })
//	}
//
// (ExampleTestStore shows the call, and TestInProcess in the same file runs
// it on memory's in-process store; a kit that takes a *testing.T has no
// example with output: its output is the test's.) The in-process store and
// the PostgreSQL store of memory/pgmemory both pass it.
package memorytest
