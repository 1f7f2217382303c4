// Package conventions holds only a test: the table test that checks the
// module's one constructor convention across every package (NewX returns
// an error matching chain.ErrConfig, MustX and combinators panic with it,
// chain.Build turns the panic back into that error).
package conventions
