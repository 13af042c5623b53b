// Package env reads shopflow's settings from the environment.
package env

import "os"

// Or returns the environment variable name, or fallback when it is unset or
// empty.
func Or(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
