// Package chaintest holds helpers for testing code built on package chain,
// in the spirit of net/http/httptest: a fake Clock, so that a retry's
// backoff and a breaker's cooldown pass without sleeping.
//
//	clk := chaintest.NewAutoClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
//	r := chain.Retry(flaky, chain.Backoff(time.Second, time.Minute), chain.Jitter(0), chain.RetryClock(clk))
//	out, err := r.Run(ctx, 7) // flaky fails twice, then answers: at once
//	fmt.Println(clk.Waits())  // [1s 2s]
//
// (ExampleNewAutoClock runs it.) A Clock from NewAutoClock lets every wait
// end at once; one from NewClock moves only when Advance is called, to
// step through a breaker's cooldown (ExampleNewClock). Both record the
// waits asked of them.
package chaintest
