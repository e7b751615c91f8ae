//go:build !linux

package iris_test

import "time"

// threadCPU is unavailable here; rates per CPU second are then not reported.
func threadCPU() time.Duration { return 0 }
