//go:build !unix

package main

import "time"

var fingerStart = time.Now()

// fingerCPUTime falls back to wall time where getrusage is unavailable.
func fingerCPUTime() time.Duration { return time.Since(fingerStart) }
