package balance

import "reflect"

// isNilValue reports whether v holds a nil pointer, func, map, slice,
// chan or interface. It runs at construction only.
func isNilValue(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
