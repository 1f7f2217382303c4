package main

import (
	"context"
	"math"
	"strings"
	"testing"
)

func TestEvaluate(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want float64
	}{
		{"1+2", 3},
		{"2 + 3 * 4", 14},
		{"(2 + 3) * 4", 20},
		{"10 / 4", 2.5},
		{"10 - 4 - 3", 3},
		{"2 * 3 / 4", 1.5},
		{"100 / 10 / 5", 2},
		{"-3 + 5", 2},
		{"--3", 3},
		{"-(2 + 3) * -2", 10},
		{"+7", 7},
		{"3 * -2", -6},
		{".5 + 0.25", 0.75},
		{"89.50 * 3 * 0.85", 228.225},
		{"((((1))))", 1},
		{" 12.75\t*\n2 ", 25.5},
		{"6 × 7 ÷ 2 − 1", 20},
	} {
		got, err := Evaluate(tc.expr)
		if err != nil || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Evaluate(%q) = %v, %v; want %v", tc.expr, got, err, tc.want)
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	for _, tc := range []struct{ expr, err string }{
		{"", "empty expression"},
		{"   ", "empty expression"},
		{"1 +", "ends too early"},
		{"(1 + 2", "the '(' at position 1 is never closed"},
		{"1 + 2)", "unexpected ')' at position 6"},
		{"1 / 0", "division by zero at position 3"},
		{"1 / (2 - 2)", "division by zero"},
		{"2 3", "an operator is missing"},
		{"2 (3)", "an operator is missing"},
		{"1.2.3", `"1.2.3" at position 1 is not a number`},
		{".", "is not a number"},
		{"15%", `unexpected '%' at position 3`},
		{"x + 1", `unexpected 'x' at position 1`},
		{"os.Exit(1)", "unexpected 'o'"},
		{"2 ** 3", "unexpected '*' at position 4"},
		{"1e308 * 10", "unexpected 'e'"},
		{strings.Repeat("9", 400), "the number at position 1 is too large"},
		{"1" + strings.Repeat("0", 300) + " * 1" + strings.Repeat("0", 300), "the result is too large"},
		{strings.Repeat("1.", 30), `"1.1.1.1.1.1.1.1.1.1....`},
		{strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300), "nested too deeply"},
		{strings.Repeat("-", 300) + "1", "nested too deeply"},
	} {
		_, err := Evaluate(tc.expr)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("Evaluate(%.40q) = %v, want an error with %q", tc.expr, err, tc.err)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{
		0.1 + 0.2:    "0.3",
		228.225:      "228.225",
		-0.0:         "0",
		123456789012: "123456789012",
		1e20:         "1e+20",
		1e21:         "1e+21",
		0.000001234:  "0.000001234",
		1.5e-9:       "1.5e-09",
		2.0 / 3:      "0.666666666667",
	} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
	if got, err := calculator(context.Background(), CalculatorArgs{Expression: "0.1+0.2"}); got != "0.3" || err != nil {
		t.Errorf("calculator = %q, %v", got, err)
	}
}

// FuzzEvaluate checks that no input makes the evaluator panic, and that
// what it accepts it can print. The seed corpus is here, not in testdata.
func FuzzEvaluate(f *testing.F) {
	for _, s := range []string{"1+2*3", "(1.5 - .5) / -2", "((", "1/0", "9" + strings.Repeat("9", 320), "−×÷", "--+-1", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		v, err := Evaluate(expr)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || FormatNumber(v) == "" {
			t.Fatalf("Evaluate(%q) = %v", expr, v)
		}
	})
}
