package chaintest_test

import (
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain/chaintest"
)

func TestClockFiresOnAdvance(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := chaintest.NewClock(start)
	short, long := c.After(time.Second), c.After(time.Minute)
	c.Advance(2 * time.Second)
	select {
	case at := <-short:
		if !at.Equal(start.Add(2 * time.Second)) {
			t.Fatalf("fired at %v", at)
		}
	default:
		t.Fatal("the 1s wait did not fire after 2s")
	}
	select {
	case <-long:
		t.Fatal("the 1m wait fired after 2s")
	default:
	}
	c.Advance(time.Minute)
	<-long
	if w := c.Waits(); len(w) != 2 || w[0] != time.Second || w[1] != time.Minute {
		t.Fatalf("waits %v", w)
	}
}

func TestAutoClockMovesOnWait(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := chaintest.NewAutoClock(start)
	<-c.After(3 * time.Second)
	if !c.Now().Equal(start.Add(3 * time.Second)) {
		t.Fatalf("now %v", c.Now())
	}
}
