package safe_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/internal/safe"
)

func TestRunTurnsPanicIntoError(t *testing.T) {
	boom := chain.Pure(func(int) int { panic("boom") })
	out, err := safe.Run(context.Background(), boom, 1)
	var pe *chain.PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" || out != 0 {
		t.Fatalf("Run = %v, %v; want a *chain.PanicError of \"boom\"", out, err)
	}
	if out, err := safe.Run(context.Background(), chain.Pure(func(x int) int { return x + 1 }), 1); out != 2 || err != nil {
		t.Errorf("Run = %v, %v; want 2, nil", out, err)
	}
}
