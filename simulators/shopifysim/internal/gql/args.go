package gql

// Argument helpers: values come from literals (int64) or JSON variables
// (float64 or json.Number after coercion); input objects are
// map[string]any and lists []any either way.

// ArgInt returns the integer argument name and whether it was given.
func ArgInt(args map[string]any, name string) (int, bool) {
	return ToInt(args[name])
}

// ToInt converts an argument value to an int and reports whether it is a
// number.
func ToInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// ArgString returns the string argument name, or "".
func ArgString(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

// ArgBool returns the boolean argument name, or false.
func ArgBool(args map[string]any, name string) bool {
	b, _ := args[name].(bool)
	return b
}

// ArgStrings returns the strings of the list argument name, skipping
// anything else.
func ArgStrings(args map[string]any, name string) []string {
	return argList[string](args, name)
}

// ArgObject returns the input object argument name, or nil.
func ArgObject(args map[string]any, name string) map[string]any {
	m, _ := args[name].(map[string]any)
	return m
}

// ArgObjects returns the input objects of the list argument name,
// skipping anything else.
func ArgObjects(args map[string]any, name string) []map[string]any {
	return argList[map[string]any](args, name)
}

// argList returns the elements of type T of the list argument name. A
// single value where a list is declared is a list of one (GraphQL spec
// §3.11, input coercion of lists), as in quantities(names: "available").
func argList[T any](args map[string]any, name string) []T {
	list, ok := args[name].([]any)
	if t, single := args[name].(T); !ok && single {
		return []T{t}
	}
	out := make([]T, 0, len(list))
	for _, v := range list {
		if t, ok := v.(T); ok {
			out = append(out, t)
		}
	}
	return out
}
