package balance

import "github.com/chorus-go/chorus/chain"

// Events a balancer emits to the hooks in the call's context
// (chain.WithHooks). Name is the replica's name (its node's name, with
// "#index" added when replicas share one) and Index its position.
const (
	// EventCooldown: a replica left rotation for Delay after Err.
	EventCooldown chain.EventKind = "cooldown"
	// EventRecover: a replica passed its health check (or its probe
	// request succeeded) and is back in rotation.
	EventRecover chain.EventKind = "recover"
	// EventFailover: the call failed on replica Name with Err and goes to
	// another replica; Attempt counts the failovers of the call.
	EventFailover chain.EventKind = "failover"
)
