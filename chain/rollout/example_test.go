package rollout_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/rollout"
)

// Serve the current version of a model, promote a new one, and roll back.
func ExampleRegistry() {
	models := rollout.NewRegistry[string, string]("classifier")
	_ = models.Register("v1", chain.Pure(func(s string) string { return "v1 says " + s }))
	_ = models.Register("v2", chain.Pure(func(s string) string { return "v2 says " + s }))
	_ = models.Promote("v1")
	ctx := context.Background()
	out, _ := models.Run(ctx, "hello")
	fmt.Println(out)
	_ = models.Promote("v2")
	out, _ = models.Run(ctx, "hello")
	fmt.Println(out)
	back, _ := models.Rollback()
	out, _ = models.Run(ctx, "hello")
	fmt.Println(back, "|", out)
	// Output:
	// v1 says hello
	// v2 says hello
	// v1 | v1 says hello
}

// Let a challenger meet live traffic in the shadow of the champion: the
// caller gets the champion's answer, and both outcomes are recorded.
func ExampleNewShadow() {
	champion := chain.Pure(func(n int) string { return fmt.Sprint("v1:", n) })
	challenger := chain.Pure(func(n int) string { return fmt.Sprint("v2:", n) })
	agree := 0
	s, err := rollout.NewShadow(champion, challenger, func(r rollout.ShadowResult[int, string]) {
		if r.Champion.Err == nil && r.Challenger.Err == nil && r.Champion.Output[3:] == r.Challenger.Output[3:] {
			agree++
		}
	}, rollout.ShadowLimit(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := s.Run(context.Background(), 7)
	s.Close() // waits for the challenger and its record
	fmt.Println(out, "| started", s.Started()+s.Dropped() == 1, "| agreed", agree == int(s.Recorded()))
	// Output:
	// v1:7 | started true | agreed true
}

// Send a sticky 10% of the users to a canary.
func ExampleNewSplit() {
	type request struct{ User, Text string }
	stable := chain.Pure(func(r request) string { return "stable" })
	canary := chain.Pure(func(r request) string { return "canary" })
	split, err := rollout.NewSplit([]rollout.SplitArm[request, string]{
		rollout.Arm("stable", stable, 90),
		rollout.Arm("canary", canary, 10),
	}, rollout.SplitKey(func(r request) string { return r.User }))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	first, _ := split.Run(ctx, request{User: "user-17", Text: "hello"})
	again, _ := split.Run(ctx, request{User: "user-17", Text: "hello again"})
	fmt.Println(first == again, split.Counts()[first])
	// Output:
	// true 2
}
