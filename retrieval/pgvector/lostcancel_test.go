package pgvector

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/internal/pgproxy"
)

// Even when the cancel request never reaches the server, a cancelled
// search stops there within a second: the store's connection is closed at
// once and the backend, which checks for a closed connection while it
// runs (client_connection_check_interval), ends the statement instead of
// computing it until its statement timeout.
func TestLostCancelRequest(t *testing.T) {
	testCancelStops(t, newPool(t, func(c *pgxpool.Config) { pgproxy.DropCancels(t, c) }))
}
