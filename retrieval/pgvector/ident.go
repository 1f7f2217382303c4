package pgvector

import (
	"fmt"
	"hash/fnv"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// identPattern is what table, schema, column and text search
// configuration names must match: lower case, so that the quoted name is
// the name people type unquoted, and at most 63 bytes, PostgreSQL's limit.
var identPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// checkIdent refuses a name that is not a plain identifier.
func checkIdent(what, name string) error {
	if !identPattern.MatchString(name) {
		return fmt.Errorf("%w: %s %q must match %s", ErrInvalidIdentifier, what, name, identPattern)
	}
	return nil
}

// quote quotes one identifier.
func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

// fitName makes an index name from parts, shortened with a hash when it
// would pass PostgreSQL's 63-byte limit (which would otherwise truncate it
// silently, and make two long names collide).
func fitName(name string) string {
	if len(name) <= 63 {
		return name
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return fmt.Sprintf("%s_%08x", name[:63-9], h.Sum32())
}
