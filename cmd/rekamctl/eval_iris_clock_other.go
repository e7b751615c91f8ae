//go:build !linux

package main

import "time"

// threadClockName says which clock the eval timings use.
const threadClockName = "wall time"

func startThreadClock() wallClock { return wallClock{time.Now()} }
