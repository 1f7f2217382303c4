package rollout_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/rollout"
)

// mustPanicWith fails the test unless must panics with an error equal to
// err, which chain.Build gives back.
func mustPanicWith[T any](t *testing.T, err error, must func() T) {
	t.Helper()
	_, built := chain.Build(must)
	if built == nil || built.Error() != err.Error() || !errors.Is(built, chain.ErrConfig) {
		t.Errorf("Must form panicked with %v, want %v", built, err)
	}
}

func TestNewShadowConfigErrors(t *testing.T) {
	c := chain.Pure(func(n int) int { return n })
	record := func(rollout.ShadowResult[int, int]) {}
	for _, tc := range []struct {
		name                 string
		champion, challenger chain.Chain[int, int]
		record               func(rollout.ShadowResult[int, int])
		opts                 []rollout.ShadowOption
		want                 string
	}{
		{"nil champion", nil, c, record, nil, "nil chain"},
		{"nil challenger", c, nil, record, nil, "nil chain"},
		{"nil record", c, c, nil, nil, "nil record"},
		{"limit 0", c, c, record, []rollout.ShadowOption{rollout.ShadowLimit(0)}, "rollout.ShadowLimit"},
		{"timeout 0", c, c, record, []rollout.ShadowOption{rollout.ShadowTimeout(0)}, "rollout.ShadowTimeout"},
		{"timeout negative", c, c, record, []rollout.ShadowOption{rollout.ShadowTimeout(-1)}, "rollout.ShadowTimeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := rollout.NewShadow(tc.champion, tc.challenger, tc.record, tc.opts...)
			if !errors.Is(err, chain.ErrConfig) || s != nil {
				t.Fatalf("NewShadow = %v, %v; want nil and an error matching chain.ErrConfig", s, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			mustPanicWith(t, err, func() *rollout.Shadow[int, int] {
				return rollout.MustShadow(tc.champion, tc.challenger, tc.record, tc.opts...)
			})
		})
	}
	s, err := rollout.NewShadow(c, c, record, rollout.ShadowLimit(1), rollout.ShadowTimeout(1))
	if err != nil {
		t.Fatalf("NewShadow with valid options: %v", err)
	}
	s.Close()
}

func TestNewSplitConfigErrors(t *testing.T) {
	id := chain.Identity[int]()
	arms := func(as ...rollout.SplitArm[int, int]) []rollout.SplitArm[int, int] { return as }
	for _, tc := range []struct {
		name string
		arms []rollout.SplitArm[int, int]
		opts []rollout.SplitOption[int]
		want string
	}{
		{"no arms", nil, nil, "no arms"},
		{"all zero", arms(rollout.Arm("a", id, 0)), nil, "weight 0"},
		{"negative weight", arms(rollout.Arm("a", id, -1), rollout.Arm("b", id, 1)), nil, `arm "a": weight`},
		{"NaN weight", arms(rollout.Arm("a", id, math.NaN())), nil, `arm "a": weight`},
		{"infinite weight", arms(rollout.Arm("a", id, math.Inf(1))), nil, `arm "a": weight`},
		{"weights overflow", arms(rollout.Arm("a", id, math.MaxFloat64), rollout.Arm("b", id, math.MaxFloat64)), nil, "float"},
		{"nil chain", arms(rollout.Arm[int, int]("a", nil, 1)), nil, "no chain"},
		{"zero arm value", arms(rollout.SplitArm[int, int]{}), nil, "no chain"},
		{"nil key", arms(rollout.Arm("a", id, 1)), []rollout.SplitOption[int]{rollout.SplitKey[int](nil)}, "rollout.SplitKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := rollout.NewSplit(tc.arms, tc.opts...)
			if !errors.Is(err, chain.ErrConfig) || s != nil {
				t.Fatalf("NewSplit = %v, %v; want nil and an error matching chain.ErrConfig", s, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			mustPanicWith(t, err, func() *rollout.Split[int, int] { return rollout.MustSplit(tc.arms, tc.opts...) })
		})
	}
}

func TestRegisterConfigErrors(t *testing.T) {
	r := rollout.NewRegistry[int, int]("model")
	for name, err := range map[string]error{
		"empty version": r.Register("", chain.Identity[int]()),
		"nil chain":     r.Register("v1", nil),
	} {
		if !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: %v, want an error matching chain.ErrConfig", name, err)
		}
	}
	if got := r.Versions(); len(got) != 0 {
		t.Errorf("invalid versions were registered: %v", got)
	}
}
