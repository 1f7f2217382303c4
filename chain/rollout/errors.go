package rollout

import (
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// configError is the error NewShadow, NewSplit and Registry.Register
// return (and the Must forms panic with) on invalid arguments: a
// *chain.ConfigError, which matches chain.ErrConfig.
func configError(fn, format string, args ...any) error {
	return &chain.ConfigError{Func: "rollout." + fn, Reason: fmt.Sprintf(format, args...)}
}
