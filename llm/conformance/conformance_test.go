package conformance_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm/conformance"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// brokenEnv names the breakage TestBrokenAdapter runs with.
const brokenEnv = "CONFORMANCE_TEST_BROKEN"

// TestKitDetectsBrokenAdapters runs the kit on adapters broken on purpose,
// each in a child test process (the kit fails the *testing.T it is given),
// and checks that the check named after the breakage fails, and that a
// correct adapter passes.
func TestKitDetectsBrokenAdapters(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child test processes")
	}
	for _, tc := range []struct {
		mode string
		fail []string // subtests that must fail; none: the run must pass
	}{
		{"correct", nil},
		{"ignores_cancel", []string{"Cancel/while_waiting"}},
		{"untyped_errors", []string{"Errors/429_rate_limited", "Errors/400_bad_request", "Errors/retry_recovers"}},
		{"no_validation", []string{"Validation/no_messages", "Validation/unknown_role"}},
		{"leaky_stream", []string{"Stream/stop_early"}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenAdapter$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), brokenEnv+"="+tc.mode)
			out, err := cmd.CombinedOutput()
			if len(tc.fail) == 0 {
				if err != nil || !strings.Contains(string(out), "--- PASS: TestBrokenAdapter") {
					t.Fatalf("a correct adapter failed the kit (%v):\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("the kit passed an adapter with %s:\n%s", tc.mode, out)
			}
			for _, check := range tc.fail {
				if !strings.Contains(string(out), "--- FAIL: TestBrokenAdapter/"+check+" ") {
					t.Errorf("check %s did not fail for %s", check, tc.mode)
				}
			}
			if t.Failed() {
				t.Logf("child output:\n%s", out)
			}
		})
	}
}

// TestBrokenAdapter is run by TestKitDetectsBrokenAdapters in a child
// process; it is skipped otherwise.
func TestBrokenAdapter(t *testing.T) {
	mode := os.Getenv(brokenEnv)
	if mode == "" {
		t.Skip("run by TestKitDetectsBrokenAdapters")
	}
	if mode == "correct" {
		mode = ""
	}
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		return newFakeHarness(t, mode)
	}, conformance.CancelWithin(300*time.Millisecond))
}
