package conformance_test

import (
	"testing"

	"github.com/chorus-go/chorus/llm/conformance"
)

// An adapter's test runs the kit with a harness made fresh for each
// check: here fakeHarness, which pairs the adapter with an in-process fake
// of its HTTP server (see fake_test.go in this package, and
// examples/customadapter for a complete adapter). Put the call in a Test
// function of the adapter's package:
//
//	func TestConformance(t *testing.T) {
//		conformance.TestChatModel(t, newHarness)
//	}
func ExampleTestChatModel() {
	newHarness := func(t *testing.T) conformance.ChatHarness {
		return newFakeHarness(t, "")
	}
	test := func(t *testing.T) {
		conformance.TestChatModel(t, newHarness, conformance.Concurrency(16))
	}
	_ = test
}
