package chain_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

type animal int

const (
	bird animal = iota
	mammal
	reptile
)

func TestRoute(t *testing.T) {
	byParity := chain.RouterFunc[int, string](func(ctx context.Context, x int) (string, error) {
		switch {
		case x < 0:
			return "", errors.New("negative")
		case x > 100:
			return "big", nil
		case x%2 == 0:
			return "even", nil
		}
		return "odd", nil
	})
	routes := map[string]chain.Chain[int, string]{
		"even": const_("E"),
		"odd":  const_("O"),
	}
	r := chain.Route(byParity, routes)
	for in, want := range map[int]string{2: "E", 3: "O"} {
		if got, err := r.Run(context.Background(), in); got != want || err != nil {
			t.Fatalf("Run(%d) = %q, %v", in, got, err)
		}
	}
	_, err := r.Run(context.Background(), 101)
	var ue *chain.UnknownRouteError
	if !errors.Is(err, chain.ErrUnknownRoute) || !errors.As(err, &ue) || ue.Key != "big" || len(ue.Known) != 2 {
		t.Fatalf("err = %v", err)
	}
	if _, err := r.Run(context.Background(), -1); err == nil || err.Error() != "router: negative" {
		t.Fatalf("router error = %v", err)
	}
	withDefault := chain.Route(byParity, routes, chain.Otherwise(const_("default")))
	if got, err := withDefault.Run(context.Background(), 101); got != "default" || err != nil {
		t.Fatal(got, err)
	}
}

func TestRouteByClassifierChain(t *testing.T) {
	classify := chain.Fn(func(ctx context.Context, s string) (animal, error) {
		switch s {
		case "sparrow":
			return bird, nil
		case "gecko":
			return reptile, nil
		}
		return mammal, nil
	})
	r := chain.Route(chain.RouterOf(classify), map[animal]chain.Chain[string, string]{
		bird:    chain.Pure(func(s string) string { return "bird:" + s }),
		mammal:  chain.Pure(func(s string) string { return "mammal:" + s }),
		reptile: chain.Pure(func(s string) string { return "reptile:" + s }),
	})
	if got, _ := r.Run(context.Background(), "gecko"); got != "reptile:gecko" {
		t.Fatal(got)
	}
	started := make(chan struct{}, 1)
	blocked := chain.Route(chain.RouterFunc[int, int](func(ctx context.Context, x int) (int, error) { return 0, nil }),
		map[int]chain.Chain[int, int]{0: block[int](started)})
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return blocked.Run(ctx, 1) }, started, 1)
}
